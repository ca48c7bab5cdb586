package io.siyu.referral;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Help tasks and their helpers in PostgreSQL. A help is one transaction: the helper's row (one per
 * friend and task, by primary key), the task's count (a conditional UPDATE that cannot pass
 * {@code needed}, so concurrent helps complete a task exactly once) and, on completion, the
 * fulfilment notice owed to the ERP.
 */
@Repository
class HelpTasks {

    /** What a help came to. */
    sealed interface Help {
        /** Counted; {@code completed} when this help was the one that reached the goal. */
        record Counted(HelpTask task, boolean completed) implements Help {}

        /** Recorded but not counted: flagged, or the task had completed already. */
        record NotCounted(HelpTask task, String reason) implements Help {}

        /** This friend helped this task before; nothing changed. */
        record Repeated(HelpTask task) implements Help {}
    }

    /** One friend's help, for progress views and review. */
    record Helper(String taskId, PersonId person, String identifier, boolean counted, @Nullable String reason, Instant at) {}

    private static final String COLUMNS = """
            id, campaign_id, owner_person, owner_identifier, needed, helped, status, rewards, started_at, expires_at, completed_at,
            rewarded_at""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final FulfilmentNotices notices;

    HelpTasks(JdbcClient jdbc, TransactionTemplate transactions, FulfilmentNotices notices) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.notices = notices;
    }

    /** Starts the owner's task in the campaign, or returns the one they started before. */
    HelpTask start(TenantId tenant, String id, Campaign campaign, PersonId owner, String ownerIdentifier, Instant now, Instant expiresAt) {
        jdbc.sql("INSERT INTO help_tasks (tenant_id, " + COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, 0, 'OPEN', NULL, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING""")
                .params(tenant.value(), id, campaign.id(), owner.value(), ownerIdentifier, campaign.helpersNeeded(), Timestamp.from(now),
                        Timestamp.from(expiresAt))
                .update();
        return jdbc.sql("SELECT " + COLUMNS + " FROM help_tasks WHERE tenant_id = ? AND campaign_id = ? AND owner_person = ?")
                .params(tenant.value(), campaign.id(), owner.value()).query((rs, row) -> map(rs)).single();
    }

    Optional<HelpTask> find(TenantId tenant, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM help_tasks WHERE tenant_id = ? AND id = ?").params(tenant.value(), id)
                .query((rs, row) -> map(rs)).optional();
    }

    /**
     * Records a friend's help.
     *
     * @param flag why the help does not count (fraud), or null when it counts
     * @param whenCompleted the fulfilment notice owed if this help completes the task, or null for none
     */
    Help help(TenantId tenant, HelpTask task, PersonId helper, String helperIdentifier, @Nullable String flag, Instant now,
            FulfilmentNotices.@Nullable Notice whenCompleted) {
        return transactions.execute(status -> {
            boolean inserted = jdbc.sql("""
                    INSERT INTO help_entries (tenant_id, task_id, helper_person, helper_identifier, counted, reason, helped_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(tenant.value(), task.id(), helper.value(), helperIdentifier, flag == null, flag, Timestamp.from(now))
                    .update() > 0;
            if (!inserted) {
                return new Help.Repeated(find(tenant, task.id()).orElseThrow());
            }
            if (flag != null) {
                return new Help.NotCounted(task, flag);
            }
            Optional<HelpTask> updated = jdbc.sql("""
                    UPDATE help_tasks SET helped = helped + 1,
                        status = CASE WHEN helped + 1 >= needed THEN 'COMPLETED' ELSE 'OPEN' END,
                        completed_at = CASE WHEN helped + 1 >= needed THEN CAST(? AS timestamptz) ELSE NULL END
                    WHERE tenant_id = ? AND id = ? AND status = 'OPEN' AND helped < needed RETURNING """ + " " + COLUMNS)
                    .params(Timestamp.from(now), tenant.value(), task.id()).query((rs, row) -> map(rs)).optional();
            if (updated.isEmpty()) {
                jdbc.sql("UPDATE help_entries SET counted = false, reason = 'task:completed' WHERE tenant_id = ? AND task_id = ? AND helper_person = ?")
                        .params(tenant.value(), task.id(), helper.value()).update();
                return new Help.NotCounted(find(tenant, task.id()).orElseThrow(), "task:completed");
            }
            boolean completed = updated.get().status() == HelpTask.Status.COMPLETED;
            if (completed && whenCompleted != null) {
                notices.add(tenant, whenCompleted, now);
            }
            return new Help.Counted(updated.get(), completed);
        });
    }

    List<Helper> helpers(TenantId tenant, String taskId) {
        return jdbc.sql("""
                SELECT task_id, helper_person, helper_identifier, counted, reason, helped_at FROM help_entries
                WHERE tenant_id = ? AND task_id = ? ORDER BY helped_at, helper_person""")
                .params(tenant.value(), taskId).query((rs, row) -> helper(rs)).list();
    }

    /** Helps not counted because of fraud, newest first. */
    List<Helper> flagged(TenantId tenant, int limit) {
        return jdbc.sql("""
                SELECT task_id, helper_person, helper_identifier, counted, reason, helped_at FROM help_entries
                WHERE tenant_id = ? AND NOT counted AND reason <> 'task:completed' ORDER BY helped_at DESC, helper_person LIMIT ?""")
                .params(tenant.value(), limit).query((rs, row) -> helper(rs)).list();
    }

    List<HelpTask> unrewarded(TenantId tenant, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                 FROM help_tasks WHERE tenant_id = ? AND status = 'COMPLETED' AND rewarded_at IS NULL ORDER BY completed_at LIMIT ?""")
                .params(tenant.value(), limit).query((rs, row) -> map(rs)).list();
    }

    List<Integer> tenantsWithUnrewarded() {
        return jdbc.sql("SELECT DISTINCT tenant_id FROM help_tasks WHERE status = 'COMPLETED' AND rewarded_at IS NULL")
                .query(Integer.class).list();
    }

    void rewarded(TenantId tenant, String id, String rewards, Instant at) {
        jdbc.sql("UPDATE help_tasks SET rewards = ?, rewarded_at = ? WHERE tenant_id = ? AND id = ? AND rewarded_at IS NULL")
                .params(rewards, Timestamp.from(at), tenant.value(), id).update();
    }

    private static Helper helper(ResultSet rs) throws SQLException {
        return new Helper(rs.getString(1), new PersonId(rs.getObject(2, UUID.class)), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                rs.getTimestamp(6).toInstant());
    }

    private static HelpTask map(ResultSet rs) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        Timestamp rewarded = rs.getTimestamp("rewarded_at");
        return new HelpTask(rs.getString("id"), rs.getString("campaign_id"), new PersonId(rs.getObject("owner_person", UUID.class)),
                rs.getString("owner_identifier"), rs.getInt("needed"), rs.getInt("helped"), HelpTask.Status.valueOf(rs.getString("status")),
                rs.getString("rewards"), rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                completed == null ? null : completed.toInstant(), rewarded == null ? null : rewarded.toInstant());
    }
}
