package io.siyu.compliance;

import io.siyu.platform.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Risk detector definitions, kept in PostgreSQL and installed into the engine. */
@Repository
class RiskDetectors {

    record Stored(int tenant, Detector detector) {}

    private final JdbcClient jdbc;

    RiskDetectors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true when the detector is new */
    boolean save(TenantId tenant, Detector d) {
        return jdbc.sql("""
                INSERT INTO risk_detectors (tenant_id, name, kind, event, out_event, threshold, window_seconds, action)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET kind = excluded.kind, event = excluded.event,
                    out_event = excluded.out_event, threshold = excluded.threshold,
                    window_seconds = excluded.window_seconds, action = excluded.action, updated_at = now()
                RETURNING (xmax = 0)""")
                .params(tenant.value(), d.name(), d.kind().name(), d.event(), d.outEvent(), d.threshold(),
                        (int) d.window().toSeconds(), d.action().name())
                .query(Boolean.class).single();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("DELETE FROM risk_detectors WHERE tenant_id = ? AND name = ?").params(tenant.value(), name)
                .update() > 0;
    }

    Optional<Detector> find(TenantId tenant, String name) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND name = ?").params(tenant.value(), name)
                .query((rs, row) -> stored(rs).detector()).optional();
    }

    List<Detector> all(TenantId tenant) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? ORDER BY name").params(tenant.value())
                .query((rs, row) -> stored(rs).detector()).list();
    }

    List<Stored> everyTenant() {
        return jdbc.sql(SELECT + " ORDER BY tenant_id, name").query((rs, row) -> stored(rs)).list();
    }

    private static final String SELECT =
            "SELECT tenant_id, name, kind, event, out_event, threshold, window_seconds, action FROM risk_detectors";

    private static Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Stored(rs.getInt(1), new Detector(rs.getString(2), Detector.Kind.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getLong(6), Duration.ofSeconds(rs.getInt(7)), Detector.Action.valueOf(rs.getString(8))));
    }
}
