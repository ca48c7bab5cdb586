package io.siyu.privacy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The seal over a group of audited reads: the writer adds each read as it numbers it, and the
 * group's chained audit entry carries {@link #detail()}; the verifier adds the rows it finds and
 * compares. Each read's content (everything but its number) is hashed with SHA-256; the seal holds
 * the range of numbers, the count, a SHA-256 over the reads' hashes in order and their sum modulo
 * 2^256. A changed read changes the sum, reads swapped between numbers keep the sum but not the
 * ordered digest, a removed read changes the count; and the seal itself is in the HMAC chain.
 */
final class ReadSeal {

    static final String ACTION = "audit.reads-sealed";
    static final String ACTOR = "audit-writer";

    private static final Pattern DETAIL = Pattern.compile("reads (\\d+)-(\\d+) n=(\\d+) sha256=([0-9a-f]{64}) sum=([0-9a-f]{64})");
    private static final HexFormat HEX = HexFormat.of();

    /** What a seal says about its group. */
    record Claim(long first, long last, long count, String ordered, String sum) {}

    private final MessageDigest rows = sha256();
    private final MessageDigest ordered = sha256();
    private final AuditLog.HashInput input = new AuditLog.HashInput();
    private final byte[] rowHash = new byte[32];
    private final byte[] sum = new byte[32];
    private final byte[] head = new byte[12];
    private long first = -1;
    private long last = -1;
    private long count;

    /** Adds the next read of the group, in number order. */
    void add(long seq, @Nullable Integer tenant, Instant at, String actor, String action, String subject, String detail) {
        input.reset(20 + 3 * (actor.length() + action.length() + subject.length() + detail.length()));
        input.putInt(tenant == null ? 0 : tenant);
        input.putLong(at.toEpochMilli());
        input.putField(actor);
        input.putField(action);
        input.putField(subject);
        input.putField(detail);
        rows.update(input.bytes, 0, input.length);
        added(seq);
    }

    /**
     * Adds the next read of the group from its stored form: {@code fields} (at {@code offset},
     * {@code length} bytes) are the actor, action, subject and detail, each as a 4-byte big-endian
     * length and UTF-8, which is both how binary COPY sends a text column and how {@link #add} lays
     * them out; so the writer encodes a read once, for the database and the seal alike.
     */
    void addEncoded(long seq, int tenant, long atMillis, byte[] fields, int offset, int length) {
        byte[] head = this.head;
        for (int i = 0; i < 4; i++) {
            head[i] = (byte) (tenant >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            head[4 + i] = (byte) (atMillis >>> (56 - 8 * i));
        }
        rows.update(head, 0, 12);
        rows.update(fields, offset, length);
        added(seq);
    }

    private void added(long seq) {
        try {
            rows.digest(rowHash, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        ordered.update(rowHash);
        int carry = 0;
        for (int i = 31; i >= 0; i--) {
            int s = (sum[i] & 0xff) + (rowHash[i] & 0xff) + carry;
            sum[i] = (byte) s;
            carry = s >>> 8;
        }
        first = first < 0 ? seq : first;
        last = seq;
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    long count() {
        return count;
    }

    /** The seal's detail, e.g. {@code reads 12-15 n=4 sha256=… sum=…}; resets the group. */
    String detail() {
        String detail = "reads " + first + "-" + last + " n=" + count + " sha256=" + HEX.formatHex(ordered.digest())
                + " sum=" + HEX.formatHex(sum);
        reset();
        return detail;
    }

    /**
     * Compares the reads added since the last call with a seal's claim, and starts a new group.
     *
     * @return null when they match, else the kind of difference: {@code removed} (fewer reads),
     *     {@code inserted} (more), {@code altered} (a read's content changed) or {@code reordered}
     */
    @Nullable String compareWith(Claim claim) {
        String ordered = HEX.formatHex(this.ordered.digest());
        String sum = HEX.formatHex(this.sum);
        long count = this.count;
        reset();
        if (count < claim.count()) {
            return "removed";
        }
        if (count > claim.count()) {
            return "inserted";
        }
        if (!sum.equals(claim.sum())) {
            return "altered";
        }
        return ordered.equals(claim.ordered()) ? null : "reordered";
    }

    private void reset() {
        ordered.reset();
        java.util.Arrays.fill(sum, (byte) 0);
        first = -1;
        last = -1;
        count = 0;
    }

    /** The claim of a seal entry's detail, or null when the detail is not one. */
    static @Nullable Claim parse(String detail) {
        Matcher m = DETAIL.matcher(detail);
        if (!m.matches()) {
            return null;
        }
        try {
            return new Claim(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4),
                    m.group(5));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
