package io.siyu.service.desk;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tickets in PostgreSQL: opened by the desk, worked by agents, closed with an optional CSAT. */
@Repository
public class Tickets {

    public record Ticket(long id, @Nullable UUID conversationId, String person, String kind, String queue, String reason,
            String priority, String status, @Nullable String assignee, String summary, Map<String, Object> details,
            @Nullable JsonNode profile, JsonNode transcript, Instant slaDueAt, @Nullable Instant firstResponseAt,
            @Nullable Instant breachedAt, Instant createdAt, @Nullable Instant closedAt, @Nullable Integer csat) {}

    record NewTicket(@Nullable UUID conversationId, String person, String kind, String queue, String reason, String priority,
            @Nullable String assignee, String summary, Map<String, Object> details, @Nullable Object profile, Object transcript,
            @Nullable String actionId, Instant slaDueAt, Instant createdAt) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Tickets(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Opens a ticket; with an action id, a second open for the same id answers the first ticket's id. */
    long open(TenantId tenant, NewTicket t) {
        Optional<Long> id = jdbc.sql("""
                INSERT INTO service_tickets (tenant_id, conversation_id, person, kind, queue, reason, priority, status, assignee,
                    summary, details, profile, transcript, action_id, sla_due_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)
                ON CONFLICT (tenant_id, action_id) WHERE action_id IS NOT NULL DO NOTHING
                RETURNING id""")
                .params(tenant.value(), t.conversationId(), t.person(), t.kind(), t.queue(), t.reason(), t.priority(),
                        t.assignee() == null ? "open" : "assigned", t.assignee(), t.summary(), json.writeValueAsString(t.details()),
                        t.profile() == null ? null : json.writeValueAsString(t.profile()), json.writeValueAsString(t.transcript()),
                        t.actionId(), Timestamp.from(t.slaDueAt()), Timestamp.from(t.createdAt()))
                .query(Long.class).optional();
        return id.orElseGet(() -> jdbc.sql("SELECT id FROM service_tickets WHERE tenant_id = ? AND action_id = ?")
                .params(tenant.value(), t.actionId()).query(Long.class).single());
    }

    public Ticket require(TenantId tenant, long id) {
        return jdbc.sql("SELECT * FROM service_tickets WHERE tenant_id = ? AND id = ?").params(tenant.value(), id)
                .query(this::ticket).optional().orElseThrow(() -> new NotFound("工单不存在 / no ticket " + id));
    }

    List<Ticket> list(TenantId tenant, @Nullable String status, @Nullable String queue, boolean breachedOnly, int limit) {
        return jdbc.sql("""
                SELECT * FROM service_tickets WHERE tenant_id = ? AND (?::text IS NULL OR status = ?)
                  AND (?::text IS NULL OR queue = ?) AND (NOT ? OR breached_at IS NOT NULL)
                ORDER BY CASE priority WHEN 'URGENT' THEN 0 WHEN 'HIGH' THEN 1 ELSE 2 END, id LIMIT ?""")
                .params(tenant.value(), status, status, queue, queue, breachedOnly, limit).query(this::ticket).list();
    }

    Optional<Ticket> openFor(TenantId tenant, UUID conversation) {
        return jdbc.sql("SELECT * FROM service_tickets WHERE tenant_id = ? AND conversation_id = ? AND kind = 'handoff' AND status <> 'closed' ORDER BY id DESC LIMIT 1")
                .params(tenant.value(), conversation).query(this::ticket).optional();
    }

    /** Records an agent's reply: the first one stops the first-response clock; an unassigned ticket goes to the replier. */
    void replied(long id, String agent, Instant now) {
        jdbc.sql("""
                UPDATE service_tickets SET first_response_at = coalesce(first_response_at, ?),
                    assignee = coalesce(assignee, ?), status = CASE WHEN status = 'open' THEN 'assigned' ELSE status END
                WHERE id = ?""").params(Timestamp.from(now), agent, id).update();
    }

    boolean close(long id, Instant now) {
        return jdbc.sql("UPDATE service_tickets SET status = 'closed', closed_at = ? WHERE id = ? AND status <> 'closed'")
                .params(Timestamp.from(now), id).update() == 1;
    }

    boolean rate(long id, int csat) {
        return jdbc.sql("UPDATE service_tickets SET csat = ? WHERE id = ? AND status = 'closed' AND csat IS NULL").params(csat, id).update() == 1;
    }

    /** Marks every unanswered ticket past its SLA as breached and answers them (each only once). */
    List<Ticket> markBreaches(Instant now) {
        return jdbc.sql("""
                UPDATE service_tickets SET breached_at = ?
                WHERE breached_at IS NULL AND first_response_at IS NULL AND status <> 'closed' AND sla_due_at < ?
                RETURNING *""").params(Timestamp.from(now), Timestamp.from(now)).query(this::ticket).list();
    }

    /** Figures for the service metrics of one tenant. */
    Map<String, Object> figures(TenantId tenant) {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM service_conversations c WHERE c.tenant_id = ?
                          AND EXISTS (SELECT 1 FROM service_messages m WHERE m.conversation_id = c.id AND m.sender = 'person')) AS conversations,
                       (SELECT count(*) FROM service_conversations WHERE tenant_id = ? AND handed_off) AS handed_off,
                       (SELECT count(*) FROM service_tickets WHERE tenant_id = ?) AS tickets,
                       (SELECT count(*) FROM service_tickets WHERE tenant_id = ? AND breached_at IS NOT NULL) AS breached,
                       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))
                          FROM service_tickets WHERE tenant_id = ? AND first_response_at IS NOT NULL) AS agent_first_response_median_s,
                       (SELECT count(csat) FROM service_tickets WHERE tenant_id = ?) AS csat_count,
                       (SELECT avg(csat) FROM service_tickets WHERE tenant_id = ?) AS csat_average""")
                .params(tenant.value(), tenant.value(), tenant.value(), tenant.value(), tenant.value(), tenant.value(), tenant.value())
                .query().singleRow();
    }

    private Ticket ticket(ResultSet rs, int row) throws SQLException {
        String profile = rs.getString("profile");
        return new Ticket(rs.getLong("id"), rs.getObject("conversation_id", UUID.class), rs.getString("person"), rs.getString("kind"),
                rs.getString("queue"), rs.getString("reason"), rs.getString("priority"), rs.getString("status"), rs.getString("assignee"),
                rs.getString("summary"), json.readValue(rs.getString("details"), new TypeReference<Map<String, Object>>() {}),
                profile == null ? null : json.readTree(profile), json.readTree(rs.getString("transcript")),
                instant(rs, "sla_due_at"), instant(rs, "first_response_at"), instant(rs, "breached_at"), instant(rs, "created_at"),
                instant(rs, "closed_at"), (Integer) rs.getObject("csat", Integer.class));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
