package io.siyu.service.wecom;

import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What customer service over WeCom keeps in PostgreSQL: the {@code sync_msg} cursor per kf
 * account, the msgids already taken in, the conversation of each (kf account, customer), and the
 * replies waiting for {@code send_msg}.
 */
@Repository
class KfStore {

    /** The conversation of one customer with one kf account. */
    record Chat(UUID conversation, TenantId tenant, String corpId, String openKfId, String externalUserId) {}

    /** A reply waiting to be sent. */
    record Pending(long id, UUID conversation, int seq, String text, int attempts) {}

    private final JdbcClient jdbc;

    KfStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> cursor(TenantId tenant, String openKfId) {
        return jdbc.sql("SELECT cursor FROM service_wecom_kf_cursors WHERE tenant_id = ? AND open_kfid = ?")
                .params(tenant.value(), openKfId).query(String.class).optional();
    }

    void saveCursor(TenantId tenant, String openKfId, String cursor, Instant now) {
        jdbc.sql("""
                INSERT INTO service_wecom_kf_cursors (tenant_id, open_kfid, cursor, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, open_kfid) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at""")
                .params(tenant.value(), openKfId, cursor, Timestamp.from(now)).update();
    }

    /** Records a msgid; false when it was taken in before (a replayed page, a retried callback). */
    boolean firstSight(TenantId tenant, String msgid, Instant now) {
        return jdbc.sql("INSERT INTO service_wecom_kf_seen (tenant_id, msgid, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(tenant.value(), msgid, Timestamp.from(now)).update() == 1;
    }

    /**
     * Forgets msgids taken in before {@code before}, at most {@code limit} of them: WeCom serves a
     * message through {@code sync_msg} for a few days only, so an older id cannot come again.
     *
     * @return how many were forgotten
     */
    int forgetSeenBefore(Instant before, int limit) {
        return jdbc.sql("""
                DELETE FROM service_wecom_kf_seen WHERE ctid IN (
                    SELECT ctid FROM service_wecom_kf_seen WHERE seen_at < ? LIMIT ?)""")
                .params(Timestamp.from(before), limit).update();
    }

    Optional<Chat> chat(TenantId tenant, String openKfId, String externalUserId) {
        return jdbc.sql("SELECT * FROM service_wecom_kf_threads WHERE tenant_id = ? AND open_kfid = ? AND external_userid = ?")
                .params(tenant.value(), openKfId, externalUserId).query(KfStore::mapChat).optional();
    }

    Optional<Chat> chat(UUID conversation) {
        return jdbc.sql("SELECT * FROM service_wecom_kf_threads WHERE conversation_id = ?").param(conversation)
                .query(KfStore::mapChat).optional();
    }

    void addChat(Chat chat, Instant now) {
        jdbc.sql("""
                INSERT INTO service_wecom_kf_threads (conversation_id, tenant_id, corp_id, open_kfid, external_userid, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(chat.conversation(), chat.tenant().value(), chat.corpId(), chat.openKfId(), chat.externalUserId(),
                        Timestamp.from(now)).update();
    }

    void enqueue(TenantId tenant, UUID conversation, int seq, String text, Instant now) {
        jdbc.sql("""
                INSERT INTO service_wecom_kf_outbox (tenant_id, conversation_id, seq, text, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id, seq) DO NOTHING""")
                .params(tenant.value(), conversation, seq, text, Timestamp.from(now)).update();
    }

    List<Pending> pending(TenantId tenant, int limit) {
        return jdbc.sql("""
                SELECT id, conversation_id, seq, text, attempts FROM service_wecom_kf_outbox
                WHERE tenant_id = ? AND status = 'pending' ORDER BY id LIMIT ?""")
                .params(tenant.value(), limit)
                .query((rs, n) -> new Pending(rs.getLong("id"), rs.getObject("conversation_id", UUID.class), rs.getInt("seq"),
                        rs.getString("text"), rs.getInt("attempts")))
                .list();
    }

    List<TenantId> tenantsWithPending() {
        return jdbc.sql("SELECT DISTINCT tenant_id FROM service_wecom_kf_outbox WHERE status = 'pending'")
                .query((rs, n) -> new TenantId(rs.getInt(1))).list();
    }

    void sent(long id, String wecomMsgid, Instant now) {
        jdbc.sql("UPDATE service_wecom_kf_outbox SET status = 'sent', attempts = attempts + 1, wecom_msgid = ?, sent_at = ? WHERE id = ?")
                .params(wecomMsgid, Timestamp.from(now), id).update();
    }

    /** Counts a failed attempt; after {@code maxAttempts} the reply is given up ({@code failed}). */
    void failed(long id, String error, int maxAttempts) {
        jdbc.sql("""
                UPDATE service_wecom_kf_outbox SET attempts = attempts + 1, last_error = ?,
                    status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?""")
                .params(error.substring(0, Math.min(500, error.length())), maxAttempts, id).update();
    }

    private static Chat mapChat(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Chat(rs.getObject("conversation_id", UUID.class), new TenantId(rs.getInt("tenant_id")), rs.getString("corp_id"),
                rs.getString("open_kfid"), rs.getString("external_userid"));
    }
}
