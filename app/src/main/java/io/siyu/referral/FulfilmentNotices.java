package io.siyu.referral;

import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Fulfilment notices owed to the ERP, durable until sent: PENDING rows are leased (SKIP LOCKED, a
 * two-minute lease), sent, and become SENT, PENDING again with a later attempt time, FAILED (refused
 * by the receiver) or DEAD (retry budget spent).
 */
@Repository
class FulfilmentNotices {

    /** A notice: the message id the receiver dedupes on, the webhook endpoint name, the JSON body. */
    record Notice(String messageId, String endpoint, String body) {}

    /** A stored notice with its delivery state. */
    record Stored(TenantId tenant, String messageId, String endpoint, String body, String status, int attempts,
            Instant nextAttemptAt, @Nullable String lastError, @Nullable Instant sentAt) {}

    private static final String COLUMNS = "tenant_id, message_id, endpoint, body, status, attempts, next_attempt_at, last_error, sent_at";

    private final JdbcClient jdbc;

    FulfilmentNotices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(TenantId tenant, Notice notice, Instant now) {
        jdbc.sql("""
                INSERT INTO referral_notices (tenant_id, message_id, endpoint, body, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT DO NOTHING""")
                .params(tenant.value(), notice.messageId(), notice.endpoint(), notice.body(), Timestamp.from(now), Timestamp.from(now))
                .update();
    }

    /** Leases up to {@code limit} due notices for two minutes, so a crashed sender's notices come back. */
    List<Stored> lease(Instant now, int limit) {
        return jdbc.sql("""
                UPDATE referral_notices SET next_attempt_at = ? WHERE (tenant_id, message_id) IN (
                    SELECT tenant_id, message_id FROM referral_notices WHERE status = 'PENDING' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING """ + " " + COLUMNS)
                .params(Timestamp.from(now.plusSeconds(120)), Timestamp.from(now), limit).query((rs, row) -> map(rs)).list();
    }

    void sent(Stored notice, Instant at) {
        jdbc.sql("UPDATE referral_notices SET status = 'SENT', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE tenant_id = ? AND message_id = ?")
                .params(Timestamp.from(at), notice.tenant().value(), notice.messageId()).update();
    }

    void retryAt(Stored notice, Instant next, String error) {
        jdbc.sql("UPDATE referral_notices SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE tenant_id = ? AND message_id = ?")
                .params(Timestamp.from(next), error, notice.tenant().value(), notice.messageId()).update();
    }

    /** @param status FAILED (refused) or DEAD (budget spent) */
    void end(Stored notice, String status, String error) {
        jdbc.sql("UPDATE referral_notices SET status = ?, attempts = attempts + 1, last_error = ? WHERE tenant_id = ? AND message_id = ?")
                .params(status, error, notice.tenant().value(), notice.messageId()).update();
    }

    /** Puts a FAILED or DEAD notice back in the queue with a fresh budget. */
    boolean replay(TenantId tenant, String messageId, Instant now) {
        return jdbc.sql("""
                UPDATE referral_notices SET status = 'PENDING', attempts = 0, next_attempt_at = ?
                WHERE tenant_id = ? AND message_id = ? AND status IN ('FAILED', 'DEAD')""")
                .params(Timestamp.from(now), tenant.value(), messageId).update() > 0;
    }

    List<Stored> of(TenantId tenant, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM referral_notices WHERE tenant_id = ? ORDER BY created_at DESC, message_id LIMIT ?")
                .params(tenant.value(), limit).query((rs, row) -> map(rs)).list();
    }

    private static Stored map(ResultSet rs) throws SQLException {
        Timestamp sent = rs.getTimestamp("sent_at");
        return new Stored(new TenantId(rs.getInt("tenant_id")), rs.getString("message_id"), rs.getString("endpoint"), rs.getString("body"),
                rs.getString("status"), rs.getInt("attempts"), rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"),
                sent == null ? null : sent.toInstant());
    }
}
