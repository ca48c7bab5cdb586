package io.siyu.referral;

import io.siyu.platform.TenantId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Referral campaigns in PostgreSQL; a campaign's rules never change after creation, only its status. */
@Repository
class Campaigns {

    private static final String COLUMNS = """
            id, name, kind, status, starts_at, ends_at, landing_url, sharer_reward, friend_rewards, helpers_needed, task_hours,
            fulfilment_webhook, fulfilment_sku, created_at""";

    private final JdbcClient jdbc;

    Campaigns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the id is taken */
    boolean create(TenantId tenant, Campaign c) {
        return jdbc.sql("INSERT INTO referral_campaigns (tenant_id, " + COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO NOTHING""")
                .params(tenant.value(), c.id(), c.name(), c.kind().name(), c.status().name(), Timestamp.from(c.startsAt()),
                        Timestamp.from(c.endsAt()), c.landingUrl(), c.sharerReward(), c.friendRewards().toArray(String[]::new),
                        c.helpersNeeded(), c.taskHours(), c.fulfilmentWebhook(), c.fulfilmentSku(), Timestamp.from(c.createdAt()))
                .update() > 0;
    }

    Optional<Campaign> find(TenantId tenant, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM referral_campaigns WHERE tenant_id = ? AND id = ?").params(tenant.value(), id)
                .query((rs, row) -> map(rs)).optional();
    }

    List<Campaign> all(TenantId tenant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM referral_campaigns WHERE tenant_id = ? ORDER BY created_at, id")
                .param(tenant.value()).query((rs, row) -> map(rs)).list();
    }

    boolean setStatus(TenantId tenant, String id, Campaign.Status status) {
        return jdbc.sql("UPDATE referral_campaigns SET status = ? WHERE tenant_id = ? AND id = ?")
                .params(status.name(), tenant.value(), id).update() > 0;
    }

    /** Tenants that have campaigns: the attributor watches their conversions. */
    List<Integer> tenants() {
        return jdbc.sql("SELECT DISTINCT tenant_id FROM referral_campaigns").query(Integer.class).list();
    }

    private static Campaign map(ResultSet rs) throws SQLException {
        Array rewards = rs.getArray("friend_rewards");
        int helpers = rs.getInt("helpers_needed");
        Integer helpersNeeded = rs.wasNull() ? null : helpers;
        int hours = rs.getInt("task_hours");
        Integer taskHours = rs.wasNull() ? null : hours;
        return new Campaign(rs.getString("id"), rs.getString("name"), Campaign.Kind.valueOf(rs.getString("kind")),
                Campaign.Status.valueOf(rs.getString("status")), rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("ends_at").toInstant(), rs.getString("landing_url"), rs.getString("sharer_reward"),
                Arrays.asList((String[]) rewards.getArray()), helpersNeeded, taskHours, rs.getString("fulfilment_webhook"),
                rs.getString("fulfilment_sku"), rs.getTimestamp("created_at").toInstant());
    }
}
