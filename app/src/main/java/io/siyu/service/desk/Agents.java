package io.siyu.service.desk;

import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Human agents per tenant, their skills (queues they serve) and current load. */
@Repository
public class Agents {

    public record Agent(String name, List<String> skills, boolean active, int openTickets) {}

    private final JdbcClient jdbc;

    Agents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void put(TenantId tenant, String name, List<String> skills, boolean active) {
        jdbc.sql("""
                INSERT INTO service_agents (tenant_id, name, skills, active) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET skills = excluded.skills, active = excluded.active""")
                .params(tenant.value(), name, skills.toArray(String[]::new), active).update();
    }

    List<Agent> list(TenantId tenant) {
        return jdbc.sql("""
                SELECT a.name, a.skills, a.active,
                       (SELECT count(*) FROM service_tickets t WHERE t.tenant_id = a.tenant_id AND t.assignee = a.name AND t.status <> 'closed') AS load
                FROM service_agents a WHERE a.tenant_id = ? ORDER BY a.name""")
                .param(tenant.value())
                .query((rs, n) -> new Agent(rs.getString("name"), List.of((String[]) rs.getArray("skills").getArray()),
                        rs.getBoolean("active"), rs.getInt("load")))
                .list();
    }

    /**
     * The active agent with {@code skill} (or the catch-all skill {@code general}) who has the fewest
     * unclosed tickets; ties go to the name first in order, so assignment is deterministic.
     */
    Optional<String> leastLoaded(TenantId tenant, String skill) {
        return jdbc.sql("""
                SELECT a.name FROM service_agents a
                LEFT JOIN service_tickets t ON t.tenant_id = a.tenant_id AND t.assignee = a.name AND t.status <> 'closed'
                WHERE a.tenant_id = ? AND a.active AND (? = ANY (a.skills) OR 'general' = ANY (a.skills))
                GROUP BY a.name, a.skills
                ORDER BY count(t.id), (? = ANY (a.skills)) DESC, a.name
                LIMIT 1""")
                .params(tenant.value(), skill, skill).query(String.class).optional();
    }
}
