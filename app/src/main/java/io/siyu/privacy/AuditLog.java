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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.HexFormat;
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
 * pays for a queue offer, not a database round trip; {@link #recordAndWait} is for actions whose
 * entry must be durable before they go ahead (exports, erasures, token issues).
 */
@Component
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    static final byte[] GENESIS = new byte[32];
    private static final int MAX_GROUP = 10_000;

    /** One entry as stored. */
    public record Entry(long seq, @Nullable Integer tenant, Instant at, String actor, String action, String subject,
            String detail, byte[] prevHash, byte[] hash) {}

    private record Pending(@Nullable TenantId tenant, String actor, String action, String subject, String detail,
            CompletableFuture<Long> written, boolean barrier) {}

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
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(100_000);
    private final Thread writer;
    private long lastSeq;
    private byte[] lastHash;
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
        Pending pending = new Pending(tenant, clip(actor, 200), clip(action, 100), clip(subject, 500), clip(detail, 4_000), written, false);
        try {
            if (!queue.offer(pending, 5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the audit log is not keeping up; refusing to act unaudited");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while auditing", e);
        }
        return written;
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
            queue.put(new Pending(null, "", "", "", "", done, true));
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

    /** Entries about one subject (a person id), newest first. */
    public List<Entry> about(TenantId tenant, String subject, int limit) {
        return jdbc.sql("SELECT seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                        + "WHERE tenant_id = ? AND subject = ? ORDER BY seq DESC LIMIT ?")
                .params(tenant.value(), subject, limit).query(AuditLog::map).list();
    }

    /** A tenant's entries after {@code afterSeq}, oldest first. */
    public List<Entry> page(TenantId tenant, long afterSeq, int limit) {
        return jdbc.sql("SELECT seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                        + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(tenant.value(), afterSeq, limit).query(AuditLog::map).list();
    }

    byte[] hashOf(long seq, @Nullable Integer tenant, Instant at, String actor, String action, String subject, String detail,
            byte[] prevHash) {
        try {
            Mac mac = macs.get();
            mac.update(prevHash);
            mac.update(ByteBuffer.allocate(20).putLong(seq).putInt(tenant == null ? 0 : tenant).putLong(at.toEpochMilli()).array());
            for (String field : new String[] {actor, action, subject, detail}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (RuntimeException e) {
            macs.remove(); // a half-fed MAC must not hash the next entry
            throw e;
        }
    }

    private byte[] key() {
        return key;
    }

    private void loadHead() {
        var head = jdbc.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .query((rs, row) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).optional();
        lastSeq = head.map(h -> (Long) h[0]).orElse(0L);
        lastHash = head.map(h -> (byte[]) h[1]).orElse(GENESIS);
        writtenSeq = lastSeq;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>(MAX_GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                write(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Writing {} audit entries failed; their actions are told so", group.size(), e);
                group.forEach(p -> p.written().completeExceptionally(e));
                loadHead();
            }
            group.clear();
        }
    }

    private void write(List<Pending> group) {
        Instant at = Instant.ofEpochMilli(clock.millis());
        List<Entry> entries = new ArrayList<>(group.size());
        long seq = lastSeq;
        byte[] prev = lastHash;
        for (Pending p : group) {
            if (p.barrier()) {
                continue;
            }
            seq++;
            Integer tenant = p.tenant() == null ? null : p.tenant().value();
            byte[] hash = hashOf(seq, tenant, at, p.actor(), p.action(), p.subject(), p.detail(), prev);
            entries.add(new Entry(seq, tenant, at, p.actor(), p.action(), p.subject(), p.detail(), prev, hash));
            prev = hash;
        }
        if (!entries.isEmpty()) {
            String rows = copyRows(entries);
            // COPY, as the event log does: a batch of INSERTs kept the writer behind the profile reads it audits
            transactions.executeWithoutResult(status -> batches.execute((ConnectionCallback<Long>) connection -> {
                try {
                    return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY audit_log (seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash) FROM STDIN",
                            new java.io.StringReader(rows));
                } catch (java.io.IOException e) {
                    throw new java.sql.SQLException("COPY into audit_log failed", e);
                }
            }));
        }
        lastSeq = seq;
        lastHash = prev;
        writtenSeq = seq;
        int next = 0;
        for (Pending p : group) {
            p.written().complete(p.barrier() ? seq : entries.get(next++).seq());
        }
    }

    /** The rows in COPY's text format: tab-separated, {@code \\N} for null, bytea as {@code \\x} hex. */
    private static String copyRows(List<Entry> entries) {
        StringBuilder out = new StringBuilder(entries.size() * 200);
        HexFormat hex = HexFormat.of();
        for (Entry e : entries) {
            out.append(e.seq()).append('\t').append(e.tenant() == null ? "\\N" : e.tenant().toString()).append('\t')
                    .append(e.at().toString()).append('\t');
            for (String field : new String[] {e.actor(), e.action(), e.subject(), e.detail()}) {
                escape(out, field);
                out.append('\t');
            }
            out.append("\\\\x").append(hex.formatHex(e.prevHash())).append('\t').append("\\\\x").append(hex.formatHex(e.hash()))
                    .append('\n');
        }
        return out.toString();
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
        writer.join(5_000);
    }

    static Entry map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        int tenant = rs.getInt(2);
        return new Entry(rs.getLong(1), rs.wasNull() ? null : tenant, rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9));
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
