package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The durable outbox: a message is a row before it is a send, keyed by the action id, so a
 * decision survives a crash and a repeated action never becomes a second row. Workers lease due
 * rows with {@code FOR UPDATE SKIP LOCKED}, so several instances can drain one table.
 */
@Repository
public class Outbox {

    public enum Status { PENDING, SENT, FAILED, DEAD }

    /** One message in the outbox. */
    public record Entry(TenantId tenant, String messageId, @Nullable PersonId person, String channel, @Nullable String template,
            String address, @Nullable String subject, String body, boolean marketing, String origin, Status status,
            int attempts, Instant nextAttemptAt, @Nullable String lastError, Instant createdAt) {

        OutgoingMessage message() {
            return new OutgoingMessage(tenant, messageId, person, channel, address, subject, body);
        }
    }

    private static final String COLUMNS = """
            tenant_id, message_id, person_id, channel, template, address, subject, body, marketing, origin, status,
            attempts, next_attempt_at, last_error, created_at""";
    private static final String INSERT = "INSERT INTO message_outbox (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, message_id) DO NOTHING";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    Outbox(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** @return false when the message id was already in the outbox (a repeated action) */
    public boolean add(Entry entry) {
        return jdbc.sql(INSERT).params(values(entry)).update() > 0;
    }

    /** Rows per INSERT statement: 15 parameters each, under PostgreSQL's 32,767-parameter limit. */
    static final int ROWS_PER_STATEMENT = 1_000;

    /**
     * Adds many at once (broadcasts) in one binary COPY and one commit: no text to escape on our
     * side, nothing to parse on the server's (timestamps, uuids and numbers go as their binary
     * values). A chunk that repeats an id (a broadcast resumed after a crash) makes COPY fail as a
     * whole; it is then written again with {@code INSERT … ON CONFLICT DO NOTHING}, so rows already
     * there are left as they were.
     */
    public void addAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            template.execute((org.springframework.jdbc.core.ConnectionCallback<Long>) connection ->
                    CopyBinary.rows(entries).copyIn(connection, "COPY message_outbox (" + COLUMNS + ") FROM STDIN (FORMAT binary)"));
        } catch (org.springframework.dao.DuplicateKeyException repeated) {
            insertIgnoringRepeats(entries);
        } catch (org.springframework.dao.DataAccessException e) {
            if (e.getMostSpecificCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                insertIgnoringRepeats(entries);
            } else {
                throw e;
            }
        }
    }

    private void insertIgnoringRepeats(List<Entry> entries) {
        for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("INSERT INTO message_outbox (" + COLUMNS + ") VALUES ");
            Object[] params = new Object[chunk.size() * 15];
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                System.arraycopy(values(chunk.get(i)), 0, params, i * 15, 15);
            }
            sql.append(" ON CONFLICT (tenant_id, message_id) DO NOTHING");
            template.update(sql.toString(), params);
        }
    }

    /** The outbox columns of {@code entries} in PostgreSQL's binary COPY format ({@link io.siyu.platform.BinaryCopy}). */
    static final class CopyBinary {
        private CopyBinary() {}

        static io.siyu.platform.BinaryCopy rows(List<Entry> entries) {
            io.siyu.platform.BinaryCopy rows = new io.siyu.platform.BinaryCopy(entries.size() * 200 + 32);
            for (Entry e : entries) {
                rows.row(15).int4(e.tenant().value()).text(e.messageId()).uuid(e.person() == null ? null : e.person().value())
                        .text(e.channel()).text(e.template()).text(e.address()).text(e.subject()).text(e.body()).bool(e.marketing())
                        .text(e.origin()).text(e.status().name()).int4(e.attempts()).timestamp(e.nextAttemptAt()).text(e.lastError())
                        .timestamp(e.createdAt());
            }
            return rows;
        }
    }

    public Optional<Entry> find(TenantId tenant, String messageId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM message_outbox WHERE tenant_id = ? AND message_id = ?")
                .params(tenant.value(), messageId).query(Outbox::entry).optional();
    }

    /**
     * Leases up to {@code limit} due messages until {@code leaseUntil}: a worker that dies mid-send
     * leaves them to be picked up again after the lease, which is when a provider without an
     * idempotency key may deliver twice.
     */
    List<Entry> lease(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                UPDATE message_outbox o SET next_attempt_at = ? FROM (
                    SELECT tenant_id, message_id FROM message_outbox WHERE status = 'PENDING' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due
                WHERE o.tenant_id = due.tenant_id AND o.message_id = due.message_id
                RETURNING o.tenant_id, o.message_id, o.person_id, o.channel, o.template, o.address, o.subject, o.body,
                    o.marketing, o.origin, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at""")
                .params(Timestamp.from(leaseUntil), Timestamp.from(now), limit).query(Outbox::entry).list();
    }

    void sent(Entry entry, String reference, Instant at) {
        jdbc.sql("""
                UPDATE message_outbox SET status = 'SENT', attempts = attempts + 1, provider_ref = ?, sent_at = ?, last_error = NULL
                WHERE tenant_id = ? AND message_id = ?""")
                .params(reference, Timestamp.from(at), entry.tenant().value(), entry.messageId()).update();
    }

    void retry(Entry entry, Instant next, String error) {
        jdbc.sql("UPDATE message_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE tenant_id = ? AND message_id = ?")
                .params(Timestamp.from(next), error, entry.tenant().value(), entry.messageId()).update();
    }

    /** Ends a message: FAILED when the remote refused it, DEAD when retries ran out (the dead-letter list). */
    void end(Entry entry, Status status, String error) {
        jdbc.sql("UPDATE message_outbox SET status = ?, attempts = attempts + 1, last_error = ? WHERE tenant_id = ? AND message_id = ?")
                .params(status.name(), error, entry.tenant().value(), entry.messageId()).update();
    }

    /** Sent messages the remote knows by {@code reference} (Yunpian sid, WeChat msgid, e-mail Message-ID), in any tenant. */
    List<Entry> byReference(String channel, String reference) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM message_outbox WHERE channel = ? AND provider_ref = ? AND status = 'SENT'")
                .params(channel, reference).query(Outbox::entry).list();
    }

    /**
     * Records what the remote reported after accepting a message: delivered ({@code error} null)
     * or not. One delivery and one failure at most: a bounce may follow a relay's acceptance (which
     * e-mail counts as delivered), nothing follows a failure, and repeats change nothing.
     *
     * @return false when the message had a report already
     */
    boolean reported(Entry entry, Instant at, @Nullable String error) {
        return jdbc.sql("""
                UPDATE message_outbox SET delivered_at = CASE WHEN CAST(? AS text) IS NULL THEN CAST(? AS timestamptz) END,
                    delivery_error = ?
                WHERE tenant_id = ? AND message_id = ? AND delivery_error IS NULL
                    AND (delivered_at IS NULL OR CAST(? AS text) IS NOT NULL)""")
                .params(error, Timestamp.from(at), error, entry.tenant().value(), entry.messageId(), error).update() > 0;
    }

    /** When the remote reported delivery, and why it did not deliver; nulls until a report came. */
    record Report(@Nullable Instant deliveredAt, @Nullable String error) {}

    Report report(TenantId tenant, String messageId) {
        return jdbc.sql("SELECT delivered_at, delivery_error FROM message_outbox WHERE tenant_id = ? AND message_id = ?")
                .params(tenant.value(), messageId)
                .query((rs, row) -> new Report(rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant(), rs.getString(2)))
                .optional().orElse(new Report(null, null));
    }

    /** Dead and failed messages of a tenant, newest first. */
    public List<Entry> deadLetters(TenantId tenant, @Nullable String channel, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM message_outbox WHERE tenant_id = ? AND status IN ('DEAD', 'FAILED')"
                        + " AND (CAST(? AS text) IS NULL OR channel = ?) ORDER BY created_at DESC, message_id LIMIT ?")
                .params(tenant.value(), channel, channel, limit).query(Outbox::entry).list();
    }

    /** Puts a dead or failed message back in the queue, due now, with a fresh retry budget. */
    public boolean replay(TenantId tenant, String messageId, Instant now) {
        return jdbc.sql("""
                UPDATE message_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?
                WHERE tenant_id = ? AND message_id = ? AND status IN ('DEAD', 'FAILED')""")
                .params(Timestamp.from(now), tenant.value(), messageId).update() > 0;
    }

    private static Object[] values(Entry e) {
        return new Object[] {e.tenant().value(), e.messageId(), e.person() == null ? null : e.person().value(), e.channel(),
                e.template(), e.address(), e.subject(), e.body(), e.marketing(), e.origin(), e.status().name(), e.attempts(),
                Timestamp.from(e.nextAttemptAt()), e.lastError(), Timestamp.from(e.createdAt())};
    }

    private static Entry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        UUID person = rs.getObject(3, UUID.class);
        return new Entry(new TenantId(rs.getInt(1)), rs.getString(2), person == null ? null : new PersonId(person),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                rs.getString(10), Status.valueOf(rs.getString(11)), rs.getInt(12), rs.getTimestamp(13).toInstant(),
                rs.getString(14), rs.getTimestamp(15).toInstant());
    }
}
