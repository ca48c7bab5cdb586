package io.siyu.privacy;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import jakarta.annotation.PreDestroy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tamper-evident audit log. Each entry's hash is HMAC-SHA256 (key derived from the master key,
 * which is not in the database) over the previous entry's hash and the entry itself, so an entry
 * altered, removed or moved breaks the chain at that point, and someone with write access to the
 * database alone cannot recompute it. PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the table
 * (trigger).
 *
 * <p>One writer thread numbers and chains entries and writes them in groups, so a profile read
 * pays for a slot in a lock-free ring ({@link AuditRing}), not a database round trip; {@link #recordAndWait} is for actions whose
 * entry must be durable before they go ahead (exports, erasures, token issues).
 *
 * <p>Reads of personal data ({@link #note}) are the bulk of the log, so they are not chained one by
 * one: each is a plain row of {@code audit_reads} with its own number in the same sequence, and the
 * group's last entry, chained like any other, seals the reads since the previous seal
 * ({@link ReadSeal}: count, ordered digest and sum of their SHA-256 hashes). The reads go to the
 * database as binary COPY rows, and each read's hash is taken over its row's text columns as
 * encoded there, so a read is encoded once. Entries written before reads were grouped stay chained
 * entries and verify as before. Since V24 a group's reads are one row of {@code audit_read_groups},
 * packed in that same layout ({@link ReadGroups}); {@code audit_reads} keeps the rows written before.
 */
@Component
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    static final byte[] GENESIS = new byte[32];
    private static final int MAX_GROUP = 10_000;

    /** One entry as stored. */
    public record Entry(long seq, @Nullable Integer tenant, Instant at, String actor, String action, String subject,
            String detail, byte[] prevHash, byte[] hash) {}

    /** What the writer needs to know about an entry that is not a read: who waits for it, whether it is a mere barrier. */
    private record Pending(CompletableFuture<Long> written, boolean barrier) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final byte[] key;
    /** Keyed once per thread: keying an HMAC costs about as much as an entry's hash. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private final AuditRing ring = new AuditRing(1 << 17);
    /** The writer's group and its reads' binary COPY rows; only the writer thread touches them. */
    private final AuditRing.Batch group = new AuditRing.Batch(MAX_GROUP);
    private final BinaryRows readRows = new BinaryRows();
    /** The group's reads packed for {@code audit_read_groups} (see {@link ReadGroups}); only the writer thread touches it. */
    private final BinaryRows packedReads = new BinaryRows();
    /**
     * Whether reads go to {@code audit_reads} one row each, as before V24. Only tests set it, to
     * produce and tamper with the rows older logs hold; the writer reads it once per group.
     */
    volatile boolean readsAsRows;
    private final Thread writer;
    private long lastSeq;
    private byte[] lastHash;
    /** The writer's seal of the group being written; only the writer thread touches it. */
    private ReadSeal seal = new ReadSeal();
    private volatile long writtenSeq;
    private volatile boolean running = true;

    /** Starts the writer; also how benchmarks wire it without Spring. */
    public AuditLog(JdbcTemplate jdbcTemplate, TransactionTemplate transactions, Clock clock, FieldCipher cipher) {
        this.jdbc = JdbcClient.create(jdbcTemplate);
        this.batches = jdbcTemplate;
        this.transactions = transactions;
        this.clock = clock;
        this.key = cipher.derivedKey("audit-chain");
        loadHead();
        this.writer = Thread.ofPlatform().name("siyu-audit-writer").daemon(true).start(this::writeLoop);
    }

    /** Queues an entry; it is durable within milliseconds. */
    public CompletableFuture<Long> record(@Nullable TenantId tenant, String actor, String action, String subject, String detail) {
        CompletableFuture<Long> written = new CompletableFuture<>();
        enqueue(tenant, actor, action, subject, detail, new Pending(written, false));
        java.util.concurrent.locks.LockSupport.unpark(writer); // someone may be waiting for it
        return written;
    }

    /**
     * Queues a read of personal data (a profile read) nobody waits for: no future to complete, and
     * the writer's failure is logged rather than told to a caller who has already answered. It is
     * stored as a read row sealed by its group's chained entry.
     */
    public void note(@Nullable TenantId tenant, String actor, String action, String subject, String detail) {
        enqueue(tenant, actor, action, subject, detail, null);
    }

    private void enqueue(@Nullable TenantId tenant, String actor, String action, String subject, String detail,
            @Nullable Pending pending) {
        try {
            if (!ring.offer(tenant == null ? AuditRing.NO_TENANT : tenant.value(), clip(actor, 200), clip(action, 100),
                    clip(subject, 500), clip(detail, 4_000), pending, TimeUnit.SECONDS.toNanos(5))) {
                throw new IllegalStateException("the audit log is not keeping up; refusing to act unaudited");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while auditing", e);
        }
    }

    /**
     * Records and waits until the entry is durable.
     *
     * @return its sequence number
     * @throws IllegalStateException when it could not be written: the caller must not go ahead
     */
    public long recordAndWait(@Nullable TenantId tenant, String actor, String action, String subject, String detail) {
        try {
            return record(tenant, actor, action, subject, detail).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while auditing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the audit entry could not be written", e);
        }
    }

    /** Waits until everything queued before this call is written (tests, verify). */
    public void flush() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        try {
            if (!ring.offer(AuditRing.NO_TENANT, "", "", "", "", new Pending(done, true), TimeUnit.SECONDS.toNanos(10))) {
                throw new IllegalStateException("the audit log did not flush: no room to queue the barrier");
            }
            java.util.concurrent.locks.LockSupport.unpark(writer);
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the audit log did not flush", e);
        }
    }

    /** The last sequence number this process wrote (or found at start): a shortened table is detected against it. */
    public long writtenSeq() {
        return writtenSeq;
    }

    /** Entries about one subject (a person id), reads included, newest first. Reads have empty hashes: their group's seal holds them. */
    public List<Entry> about(TenantId tenant, String subject, int limit) {
        List<Entry> found = new ArrayList<>(jdbc.sql("SELECT seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                        + "WHERE tenant_id = ? AND subject = ? "
                        + "UNION ALL SELECT seq, tenant_id, at, actor, action, subject, detail, ''::bytea, ''::bytea "
                        + "FROM audit_reads WHERE tenant_id = ? AND subject = ? ORDER BY seq DESC LIMIT ?")
                .params(tenant.value(), subject, tenant.value(), subject, limit).query(AuditLog::map).list());
        found.addAll(ReadGroups.about(jdbc, tenant.value(), subject, limit));
        found.sort(java.util.Comparator.comparingLong(Entry::seq).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    /** A tenant's entries after {@code afterSeq}, reads included, oldest first. */
    public List<Entry> page(TenantId tenant, long afterSeq, int limit) {
        List<Entry> found = new ArrayList<>(jdbc.sql("SELECT seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                        + "WHERE tenant_id = ? AND seq > ? "
                        + "UNION ALL SELECT seq, tenant_id, at, actor, action, subject, detail, ''::bytea, ''::bytea "
                        + "FROM audit_reads WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(tenant.value(), afterSeq, tenant.value(), afterSeq, limit).query(AuditLog::map).list());
        found.addAll(ReadGroups.page(jdbc, tenant.value(), afterSeq, limit));
        found.sort(java.util.Comparator.comparingLong(Entry::seq));
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    byte[] hashOf(long seq, @Nullable Integer tenant, Instant at, String actor, String action, String subject, String detail,
            byte[] prevHash) {
        // the bytes hashed: prevHash ‖ seq ‖ tenant ‖ at millis ‖ (length ‖ UTF-8) of each field, laid out in one
        // reused buffer and fed to the MAC once (entries written before this layout hash the same)
        HashInput in = HASH_INPUT.get();
        in.reset(32 + 20 + 16 + 3 * (actor.length() + action.length() + subject.length() + detail.length()));
        in.put(prevHash);
        in.putLong(seq);
        in.putInt(tenant == null ? 0 : tenant);
        in.putLong(at.toEpochMilli());
        in.putField(actor);
        in.putField(action);
        in.putField(subject);
        in.putField(detail);
        try {
            Mac mac = macs.get();
            mac.update(in.bytes, 0, in.length);
            return mac.doFinal();
        } catch (RuntimeException e) {
            macs.remove(); // a half-fed MAC must not hash the next entry
            throw e;
        }
    }

    private static final ThreadLocal<HashInput> HASH_INPUT = ThreadLocal.withInitial(HashInput::new);

    /** A growable byte buffer for an entry's hash input; big-endian like {@link ByteBuffer}. */
    static final class HashInput {
        byte[] bytes = new byte[512];
        int length;

        void reset(int capacity) {
            if (bytes.length < capacity) {
                bytes = new byte[Math.max(capacity, bytes.length * 2)];
            }
            length = 0;
        }

        void put(byte[] b) {
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void putInt(int v) {
            bytes[length++] = (byte) (v >>> 24);
            bytes[length++] = (byte) (v >>> 16);
            bytes[length++] = (byte) (v >>> 8);
            bytes[length++] = (byte) v;
        }

        void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        /** Length (4 bytes) then UTF-8; ASCII, the usual case, without an intermediate array. */
        void putField(String s) {
            int lengthAt = length;
            length += 4;
            int n = s.length();
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                bytes[length++] = (byte) c;
            }
            if (i < n) { // not all ASCII: encode the whole field the standard way
                length = lengthAt + 4;
                put(s.getBytes(StandardCharsets.UTF_8));
            }
            int written = length - lengthAt - 4;
            int end = length;
            length = lengthAt;
            putInt(written);
            length = end;
        }
    }

    private byte[] key() {
        return key;
    }

    private void loadHead() {
        var head = jdbc.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .query((rs, row) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).optional();
        // a group's seal is written after its reads, in the same transaction, so it is the last number;
        // reads past it would be rows nobody sealed, and the next number must not collide with them
        long lastRead = jdbc.sql("SELECT greatest((SELECT coalesce(max(seq), 0) FROM audit_reads), "
                + "(SELECT coalesce(max(last_seq), 0) FROM audit_read_groups))").query(Long.class).single();
        lastSeq = Math.max(lastRead, head.map(h -> (Long) h[0]).orElse(0L));
        lastHash = head.map(h -> (byte[]) h[1]).orElse(GENESIS);
        writtenSeq = lastSeq;
        seal = new ReadSeal();
    }

    /**
     * Drains the ring in groups. Between groups the writer sleeps a little (1 ms, growing to 50 ms
     * while idle) instead of blocking on the queue: a blocked writer is woken by the next offer, a
     * futex wake and a context switch per read, which cost more than the entry itself. Callers
     * that wait for their entry ({@link #record}, {@link #flush}) wake it at once.
     */
    private void writeLoop() {
        long idle = MIN_IDLE_NANOS;
        while (running || !ring.isEmpty()) {
            try {
                ring.drainTo(group, MAX_GROUP);
                if (group.size == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, idle);
                    idle = Math.min(MAX_IDLE_NANOS, idle * 2);
                    if (Thread.interrupted()) {
                        return;
                    }
                    continue;
                }
                idle = MIN_IDLE_NANOS;
                write(group);
                // a group row and its seal cost PostgreSQL a fixed amount (transaction, WAL flush, the seal's row), so
                // let reads gather for 20 ms; record() and flush() unpark the writer, so nobody waits on this
                java.util.concurrent.locks.LockSupport.parkNanos(this, GROUP_PAUSE_NANOS);
            } catch (RuntimeException e) {
                log.error("Writing {} audit entries failed; their actions are told so", group.size, e);
                for (int i = 0; i < group.size; i++) {
                    if (group.extra[i] instanceof Pending p) {
                        p.written().completeExceptionally(e);
                    }
                }
                loadHead();
            }
            group.clear();
        }
    }

    private static final long MIN_IDLE_NANOS = 1_000_000L;
    /** 20 ms: at API read rates 5 ms gathered 40–50 reads per group, whose fixed cost then was +16 % of a read (ADR 0009). */
    private static final long GROUP_PAUSE_NANOS = 20_000_000L;
    private static final long MAX_IDLE_NANOS = 50_000_000L;

    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z), the origin of a binary timestamptz. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;

    private void write(AuditRing.Batch group) {
        long millis = clock.millis();
        Instant at = Instant.ofEpochMilli(millis);
        long pgMicros = (millis - POSTGRES_EPOCH_MILLIS) * 1_000L;
        List<Entry> entries = new ArrayList<>();
        boolean asRows = readsAsRows;
        BinaryRows reads = asRows ? readRows : packedReads;
        if (asRows) {
            reads.start();
        } else {
            reads.length = 0;
        }
        java.util.Set<Integer> tenants = new java.util.HashSet<>();
        java.util.Set<String> subjects = new java.util.HashSet<>();
        long firstRead = 0;
        long lastRead = 0;
        int readCount = 0;
        long seq = lastSeq;
        byte[] prev = lastHash;
        for (int i = 0; i < group.size; i++) {
            Object extra = group.extra[i];
            if (extra instanceof Pending p && p.barrier()) {
                continue;
            }
            seq++;
            group.seq[i] = seq;
            int tenant = group.tenant[i];
            if (extra == null && !asRows) { // a read: packed into its group's row, in the layout its hash covers
                reads.raw64(seq);
                reads.raw32(tenant);
                reads.raw64(millis);
                int fields = reads.length;
                reads.text(group.actor[i]);
                reads.text(group.action[i]);
                reads.text(group.subject[i]);
                reads.text(group.detail[i]);
                seal.addEncoded(seq, tenant == AuditRing.NO_TENANT ? 0 : tenant, millis, reads.bytes, fields, reads.length - fields);
                tenants.add(tenant);
                subjects.add(ReadGroups.stored(group.subject[i]));
                firstRead = readCount == 0 ? seq : firstRead;
                lastRead = seq;
                readCount++;
                continue;
            }
            if (extra == null) { // a read: one binary COPY row, whose text columns are also what its hash covers
                reads.rowOf7();
                reads.int64(seq);
                if (tenant == AuditRing.NO_TENANT) {
                    reads.nullField();
                } else {
                    reads.int32(tenant);
                }
                reads.int64(pgMicros);
                int fields = reads.length;
                reads.text(group.actor[i]);
                reads.text(group.action[i]);
                reads.text(group.subject[i]);
                reads.text(group.detail[i]);
                seal.addEncoded(seq, tenant == AuditRing.NO_TENANT ? 0 : tenant, millis, reads.bytes, fields, reads.length - fields);
                readCount++;
                continue;
            }
            Integer tenantOrNull = tenant == AuditRing.NO_TENANT ? null : tenant;
            byte[] hash = hashOf(seq, tenantOrNull, at, group.actor[i], group.action[i], group.subject[i], group.detail[i], prev);
            entries.add(new Entry(seq, tenantOrNull, at, group.actor[i], group.action[i], group.subject[i], group.detail[i], prev,
                    hash));
            prev = hash;
        }
        if (readCount > 0) {
            seq++;
            String detail = seal.detail();
            byte[] hash = hashOf(seq, null, at, ReadSeal.ACTOR, ReadSeal.ACTION, "", detail, prev);
            entries.add(new Entry(seq, null, at, ReadSeal.ACTOR, ReadSeal.ACTION, "", detail, prev, hash));
            prev = hash;
            if (asRows) {
                reads.end();
            }
        }
        if (!entries.isEmpty()) {
            CopyRows rows = copyRows(entries);
            boolean withReads = readCount > 0;
            long groupFirst = firstRead;
            long groupLast = lastRead;
            int groupReads = readCount;
            // COPY, as the event log does: a batch of INSERTs kept the writer behind the profile reads it audits;
            // the reads and their seal in one transaction, so nobody ever sees reads without their seal
            transactions.executeWithoutResult(status -> batches.execute((ConnectionCallback<Long>) connection -> {
                try {
                    var copy = connection.unwrap(PGConnection.class).getCopyAPI();
                    if (withReads && !asRows) {
                        try (var insert = connection.prepareStatement("INSERT INTO audit_read_groups "
                                + "(first_seq, last_seq, reads, tenants, subjects, packed) VALUES (?, ?, ?, ?, ?, ?)")) {
                            insert.setLong(1, groupFirst);
                            insert.setLong(2, groupLast);
                            insert.setInt(3, groupReads);
                            insert.setArray(4, connection.createArrayOf("int4", tenants.toArray(Integer[]::new)));
                            insert.setArray(5, connection.createArrayOf("text", subjects.toArray(String[]::new)));
                            insert.setBytes(6, java.util.Arrays.copyOf(reads.bytes, reads.length));
                            insert.executeUpdate();
                        }
                    } else if (withReads) {
                        copy.copyIn("COPY audit_reads (seq, tenant_id, at, actor, action, subject, detail) FROM STDIN (FORMAT binary)",
                                new java.io.ByteArrayInputStream(reads.bytes, 0, reads.length));
                    }
                    return copy.copyIn(
                            "COPY audit_log (seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash) FROM STDIN",
                            new java.io.ByteArrayInputStream(rows.bytes, 0, rows.length));
                } catch (java.io.IOException e) {
                    throw new java.sql.SQLException("COPY into the audit log failed", e);
                }
            }));
        }
        lastSeq = seq;
        lastHash = prev;
        writtenSeq = seq;
        for (int i = 0; i < group.size; i++) {
            if (group.extra[i] instanceof Pending p) {
                p.written().complete(p.barrier() ? seq : group.seq[i]);
            }
        }
    }

    /**
     * A group's reads in binary COPY format: no escaping, no number or time formatting, and each
     * text column already in the layout its seal hashes ({@link ReadSeal#addEncoded}). Reused from
     * group to group by the writer.
     */
    static final class BinaryRows {
        private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] bytes = new byte[1 << 16];
        int length;

        void start() {
            length = 0;
            room(HEADER.length);
            System.arraycopy(HEADER, 0, bytes, 0, HEADER.length);
            length = HEADER.length;
        }

        void end() {
            room(2);
            bytes[length++] = (byte) 0xff;
            bytes[length++] = (byte) 0xff;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
        }

        void raw32(int v) {
            room(4);
            putInt(v);
        }

        void raw64(long v) {
            room(8);
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        void rowOf7() {
            room(2);
            bytes[length++] = 0;
            bytes[length++] = 7;
        }

        void nullField() {
            room(4);
            putInt(-1);
        }

        void int32(int v) {
            room(8);
            putInt(4);
            putInt(v);
        }

        void int64(long v) {
            room(12);
            putInt(8);
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        /**
         * A text column: its length and UTF-8. ASCII, the usual case, is copied char by char; other
         * text is encoded the standard way. U+0000, which PostgreSQL text cannot hold, is stored as
         * U+FFFD, and the seal hashes what is stored.
         */
        void text(String s) {
            int n = s.length();
            room(4 + n);
            int lengthAt = length;
            length += 4;
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || c == 0) {
                    break;
                }
                bytes[length++] = (byte) c;
            }
            if (i < n) {
                length = lengthAt + 4;
                byte[] utf8 = s.replace('\u0000', '\uFFFD').getBytes(StandardCharsets.UTF_8);
                room(utf8.length);
                System.arraycopy(utf8, 0, bytes, length, utf8.length);
                length += utf8.length;
            }
            int end = length;
            length = lengthAt;
            putInt(end - lengthAt - 4);
            length = end;
        }

        private void putInt(int v) {
            bytes[length++] = (byte) (v >>> 24);
            bytes[length++] = (byte) (v >>> 16);
            bytes[length++] = (byte) (v >>> 8);
            bytes[length++] = (byte) v;
        }
    }

    /** A group's rows in COPY's text format, as UTF-8 bytes (the driver then sends them as they are). */
    private static final class CopyRows {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes;
        int length;

        CopyRows(int capacity) {
            bytes = new byte[capacity];
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
        }

        CopyRows ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }

        CopyRows ascii(char c) {
            room(1);
            bytes[length++] = (byte) c;
            return this;
        }

        /** Tab, newline, carriage return and backslash escaped; other text as UTF-8. */
        CopyRows text(String s) {
            room(s.length() * 3 + 2);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // not ASCII from here: the rest the standard way
                    String rest = s.substring(i);
                    for (byte b : escapeAscii(rest).getBytes(StandardCharsets.UTF_8)) {
                        room(1);
                        bytes[length++] = b;
                    }
                    return this;
                }
                switch (c) {
                    case '\\' -> { bytes[length++] = '\\'; bytes[length++] = '\\'; }
                    case '\t' -> { bytes[length++] = '\\'; bytes[length++] = 't'; }
                    case '\n' -> { bytes[length++] = '\\'; bytes[length++] = 'n'; }
                    case '\r' -> { bytes[length++] = '\\'; bytes[length++] = 'r'; }
                    default -> bytes[length++] = (byte) c;
                }
            }
            return this;
        }

        /** bytea in COPY text: {@code \\x} and lower-case hex. */
        CopyRows bytea(byte[] b) {
            room(3 + 2 * b.length);
            bytes[length++] = '\\';
            bytes[length++] = '\\';
            bytes[length++] = 'x';
            for (byte x : b) {
                bytes[length++] = HEX[(x >> 4) & 0xf];
                bytes[length++] = HEX[x & 0xf];
            }
            return this;
        }

        private static String escapeAscii(String s) {
            StringBuilder out = new StringBuilder(s.length() + 8);
            escape(out, s);
            return out.toString();
        }
    }

    /** The rows in COPY's text format: tab-separated, {@code \\N} for null, bytea as {@code \\x} hex. */
    private static CopyRows copyRows(List<Entry> entries) {
        CopyRows out = new CopyRows(entries.size() * 256);
        String at = "";
        Instant atOf = null;
        for (Entry e : entries) {
            if (e.at() != atOf) { // a group shares one time: format it once
                atOf = e.at();
                at = atOf.toString();
            }
            out.ascii(Long.toString(e.seq())).ascii('\t');
            out.ascii(e.tenant() == null ? "\\N" : Integer.toString(e.tenant())).ascii('\t');
            out.ascii(at).ascii('\t');
            out.text(e.actor()).ascii('\t');
            out.text(e.action()).ascii('\t');
            out.text(e.subject()).ascii('\t');
            out.text(e.detail()).ascii('\t');
            out.bytea(e.prevHash()).ascii('\t');
            out.bytea(e.hash()).ascii('\n');
        }
        return out;
    }

    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        java.util.concurrent.locks.LockSupport.unpark(writer);
        writer.join(5_000);
    }

    static Entry map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        long seq = rs.getLong(1);
        int tenant = rs.getInt(2);
        Integer tenantOrNull = rs.wasNull() ? null : tenant; // asked right after the tenant column, not after the seq
        return new Entry(seq, tenantOrNull, rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9));
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
