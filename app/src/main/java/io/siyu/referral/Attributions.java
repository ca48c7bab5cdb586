package io.siyu.referral;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Attributions in PostgreSQL: the primary key on (tenant, friend) makes the first sharer win, once. */
@Repository
class Attributions {

    private static final String SELECT = """
            SELECT a.friend_person, a.friend_identifier, a.campaign_id, a.code, a.sharer_person, c.identifier, a.via, a.event_message_id,
                   a.status, a.reason, a.rewards, a.occurred_at, a.decided_at
            FROM referral_attributions a JOIN referral_codes c ON c.tenant_id = a.tenant_id AND c.code = a.code
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    Attributions(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Stores a batch of judgements; a friend judged before (by another instance) keeps the first. */
    void addAll(TenantId tenant, List<Attribution> batch) {
        template.batchUpdate("""
                INSERT INTO referral_attributions (tenant_id, friend_person, friend_identifier, campaign_id, code, sharer_person, via,
                    event_message_id, status, reason, rewards, occurred_at, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, friend_person) DO NOTHING""",
                batch.stream().map(a -> new Object[] {tenant.value(), a.friend().value(), a.friendIdentifier(), a.campaignId(), a.code(),
                        a.sharer().value(), a.via(), a.eventMessageId(), a.status().name(), a.reason(), a.rewards(),
                        Timestamp.from(a.occurredAt()), Timestamp.from(a.decidedAt())}).toList());
    }

    /** Which of these people were judged already. */
    List<PersonId> judged(TenantId tenant, List<PersonId> friends) {
        if (friends.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT friend_person FROM referral_attributions WHERE tenant_id = ? AND friend_person = ANY (?)")
                .params(tenant.value(), friends.stream().map(PersonId::value).toArray(UUID[]::new))
                .query((rs, row) -> new PersonId(rs.getObject(1, UUID.class))).list();
    }

    /** Who invited each of these people, where an unflagged attribution says so. */
    Map<PersonId, PersonId> invitersOf(TenantId tenant, java.util.Collection<PersonId> friends) {
        Map<PersonId, PersonId> out = new java.util.HashMap<>();
        if (friends.isEmpty()) {
            return out;
        }
        jdbc.sql("""
                SELECT friend_person, sharer_person FROM referral_attributions
                WHERE tenant_id = ? AND friend_person = ANY (?) AND status IN ('ATTRIBUTED', 'REWARDED')""")
                .params(tenant.value(), friends.stream().map(PersonId::value).toArray(UUID[]::new))
                .query(rs -> {
                    out.put(new PersonId(rs.getObject(1, UUID.class)), new PersonId(rs.getObject(2, UUID.class)));
                });
        return out;
    }

    /** Marks attributions rewarded, with what the rewards came to: one statement batch, one commit. */
    void rewarded(TenantId tenant, Map<PersonId, String> rewards) {
        if (rewards.isEmpty()) {
            return;
        }
        template.batchUpdate("UPDATE referral_attributions SET status = 'REWARDED', rewards = ? WHERE tenant_id = ? AND friend_person = ? "
                + "AND status = 'ATTRIBUTED'", rewards.entrySet().stream()
                .map(e -> new Object[] {e.getValue(), tenant.value(), e.getKey().value()}).toList());
    }

    /** Decided but not yet rewarded (a crash or an outage between the two), oldest first. */
    List<Attribution> unrewarded(TenantId tenant, int limit) {
        return jdbc.sql(SELECT + " WHERE a.tenant_id = ? AND a.status = 'ATTRIBUTED' ORDER BY a.decided_at LIMIT ?")
                .params(tenant.value(), limit).query((rs, row) -> map(rs)).list();
    }

    List<Integer> tenantsWithUnrewarded() {
        return jdbc.sql("SELECT DISTINCT tenant_id FROM referral_attributions WHERE status = 'ATTRIBUTED'").query(Integer.class).list();
    }

    /** A campaign's attributions, newest first, optionally of one sharer or one status. */
    List<Attribution> of(TenantId tenant, String campaignId, @Nullable PersonId sharer, Attribution.@Nullable Status status, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE a.tenant_id = ? AND a.campaign_id = ? AND (CAST(? AS uuid) IS NULL OR a.sharer_person = ?)
                 AND (CAST(? AS text) IS NULL OR a.status = ?) ORDER BY a.decided_at DESC, a.friend_person LIMIT ?""")
                .params(tenant.value(), campaignId, sharer == null ? null : sharer.value(), sharer == null ? null : sharer.value(),
                        status == null ? null : status.name(), status == null ? null : status.name(), limit)
                .query((rs, row) -> map(rs)).list();
    }

    /** Flagged attributions of every campaign, newest first. */
    List<Attribution> flagged(TenantId tenant, int limit) {
        return jdbc.sql(SELECT + " WHERE a.tenant_id = ? AND a.status = 'FLAGGED' ORDER BY a.decided_at DESC, a.friend_person LIMIT ?")
                .params(tenant.value(), limit).query((rs, row) -> map(rs)).list();
    }

    /** Attributions of a campaign by status. */
    Map<String, Integer> counts(TenantId tenant, String campaignId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Attribution.Status status : Attribution.Status.values()) {
            counts.put(status.name().toLowerCase(), 0);
        }
        jdbc.sql("SELECT status, count(*) FROM referral_attributions WHERE tenant_id = ? AND campaign_id = ? GROUP BY status")
                .params(tenant.value(), campaignId)
                .query(rs -> {
                    counts.put(rs.getString(1).toLowerCase(), rs.getInt(2));
                });
        return counts;
    }

    private static Attribution map(ResultSet rs) throws SQLException {
        return new Attribution(new PersonId(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3), rs.getString(4),
                new PersonId(rs.getObject(5, UUID.class)), rs.getString(6), rs.getString(7), rs.getString(8),
                Attribution.Status.valueOf(rs.getString(9)), rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(),
                rs.getTimestamp(13).toInstant());
    }
}
