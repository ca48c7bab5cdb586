package io.siyu.privacy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Audited reads stored one row per writer group ({@code audit_read_groups}, V24): the group's reads
 * packed in number order, each as int64 seq, int32 tenant ({@link AuditRing#NO_TENANT} for none),
 * int64 epoch millis and the four text fields as int32 length and UTF-8, the layout its seal
 * ({@link ReadSeal#addEncoded}) hashes. A group row also lists its distinct tenants and subjects, so
 * a tenant's page and "who read this person" decode only the groups that can hold a match; each
 * read found is confirmed against the tenant and subject asked for after decoding.
 */
final class ReadGroups {

    /** Groups fetched per query while looking for enough reads. */
    private static final int BATCH = 32;

    /** A group row as stored. */
    record Group(long firstSeq, long lastSeq, int reads, byte[] packed) {}

    private ReadGroups() {}

    /** A subject as a text array element can hold it (no U+0000), as the writer stores it. */
    static String stored(String subject) {
        return subject.indexOf('\u0000') < 0 ? subject : subject.replace('\u0000', '\uFFFD');
    }

    /**
     * The reads of a packed group, in stored order, with empty hashes.
     *
     * @throws IllegalArgumentException when the bytes are not a well-formed group
     */
    static List<AuditLog.Entry> decode(byte[] packed) {
        List<AuditLog.Entry> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < packed.length) {
            long seq = long64(packed, at);
            int tenant = int32(packed, at);
            long millis = long64(packed, at);
            String actor = text(packed, at);
            String action = text(packed, at);
            String subject = text(packed, at);
            String detail = text(packed, at);
            out.add(new AuditLog.Entry(seq, tenant == AuditRing.NO_TENANT ? null : tenant, Instant.ofEpochMilli(millis), actor,
                    action, subject, detail, new byte[0], new byte[0]));
        }
        return out;
    }

    private static int int32(byte[] b, int[] at) {
        int i = at[0];
        if (i + 4 > b.length) {
            throw new IllegalArgumentException("a packed read ends early at byte " + i);
        }
        at[0] = i + 4;
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static long long64(byte[] b, int[] at) {
        return (long) int32(b, at) << 32 | (int32(b, at) & 0xffffffffL);
    }

    private static String text(byte[] b, int[] at) {
        int n = int32(b, at);
        if (n < 0 || at[0] + n > b.length) {
            throw new IllegalArgumentException("a packed field's length " + n + " runs past the group at byte " + at[0]);
        }
        String s = new String(b, at[0], n, StandardCharsets.UTF_8);
        at[0] += n;
        return s;
    }

    /** A tenant's reads numbered after {@code afterSeq}, oldest first, at most {@code limit}. */
    static List<AuditLog.Entry> page(JdbcClient jdbc, int tenant, long afterSeq, int limit) {
        List<AuditLog.Entry> found = new ArrayList<>();
        long cursor = Long.MIN_VALUE;
        while (found.size() < limit) {
            List<Group> groups = jdbc.sql("SELECT first_seq, last_seq, reads, packed FROM audit_read_groups "
                            + "WHERE last_seq > ? AND first_seq > ? AND ? = ANY(tenants) ORDER BY first_seq LIMIT ?")
                    .params(afterSeq, cursor, tenant, BATCH).query(ReadGroups::group).list();
            for (Group g : groups) {
                for (AuditLog.Entry e : decode(g.packed())) {
                    if (e.seq() > afterSeq && e.tenant() != null && e.tenant() == tenant && found.size() < limit) {
                        found.add(e);
                    }
                }
                cursor = g.firstSeq();
            }
            if (groups.size() < BATCH) {
                break;
            }
        }
        return found;
    }

    /** A tenant's reads of one subject, newest first, at most {@code limit}. */
    static List<AuditLog.Entry> about(JdbcClient jdbc, int tenant, String subject, int limit) {
        List<AuditLog.Entry> found = new ArrayList<>();
        long cursor = Long.MAX_VALUE;
        String stored = stored(subject);
        while (found.size() < limit) {
            List<Group> groups = jdbc.sql("SELECT first_seq, last_seq, reads, packed FROM audit_read_groups "
                            + "WHERE first_seq < ? AND ? = ANY(tenants) AND ? = ANY(subjects) ORDER BY first_seq DESC LIMIT ?")
                    .params(cursor, tenant, stored, BATCH).query(ReadGroups::group).list();
            for (Group g : groups) {
                List<AuditLog.Entry> reads = decode(g.packed());
                for (int i = reads.size() - 1; i >= 0 && found.size() < limit; i--) {
                    AuditLog.Entry e = reads.get(i);
                    if (e.tenant() != null && e.tenant() == tenant && e.subject().equals(stored)) {
                        found.add(e);
                    }
                }
                cursor = g.firstSeq();
            }
            if (groups.size() < BATCH) {
                break;
            }
        }
        return found;
    }

    /** Groups whose first number is after {@code afterFirst}, in order, at most {@code limit} (the verifier's walk). */
    static List<Group> after(JdbcClient jdbc, long afterFirst, int limit) {
        return jdbc.sql("SELECT first_seq, last_seq, reads, packed FROM audit_read_groups WHERE first_seq > ? ORDER BY first_seq LIMIT ?")
                .params(afterFirst, limit).query(ReadGroups::group).list();
    }

    private static Group group(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Group(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4));
    }

    /** Why a group's row does not hold what it claims, or null when it does. */
    static @Nullable String mismatch(Group g, List<AuditLog.Entry> reads) {
        if (reads.isEmpty() || reads.size() != g.reads()) {
            return "the group row says " + g.reads() + " reads and holds " + reads.size();
        }
        if (reads.getFirst().seq() != g.firstSeq() || reads.getLast().seq() != g.lastSeq()) {
            return "the group row is keyed " + g.firstSeq() + "–" + g.lastSeq() + " and holds reads "
                    + reads.getFirst().seq() + "–" + reads.getLast().seq();
        }
        return null;
    }
}
