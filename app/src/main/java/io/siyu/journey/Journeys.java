package io.siyu.journey;

import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Journeys and their versions in PostgreSQL. A draft is edited in place; publishing freezes it as
 * the next version, which new entries get while people already in stay on theirs.
 */
@Repository
@DependsOnDatabaseInitialization
class Journeys {

    enum Status { DRAFT, PUBLISHED, PAUSED, ARCHIVED }

    /** A journey's row: the draft (may be null once published) and the version new entries get. */
    record Stored(int id, int tenant, String name, Status status, @Nullable Integer currentVersion, @Nullable String draft) {}

    /** A frozen version's definition as submitted (parameters not yet substituted). */
    record Version(int journey, int version, String definition) {}

    private final JdbcClient jdbc;

    Journeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new journey's id, or empty when the tenant has one of that name */
    Optional<Integer> create(TenantId tenant, String name, String draft) {
        return jdbc.sql("""
                INSERT INTO journeys (tenant_id, name, status, draft) VALUES (?, ?, 'DRAFT', ?::jsonb)
                ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id""")
                .params(tenant.value(), name, draft).query(Integer.class).optional();
    }

    Optional<Stored> find(TenantId tenant, int id) {
        return jdbc.sql("SELECT id, tenant_id, name, status, current_version, draft::text FROM journeys WHERE tenant_id = ? AND id = ?")
                .params(tenant.value(), id).query(Journeys::stored).optional();
    }

    List<Stored> list(TenantId tenant) {
        return jdbc.sql("SELECT id, tenant_id, name, status, current_version, draft::text FROM journeys WHERE tenant_id = ? ORDER BY id")
                .params(tenant.value()).query(Journeys::stored).list();
    }

    List<Stored> all() {
        return jdbc.sql("SELECT id, tenant_id, name, status, current_version, draft::text FROM journeys ORDER BY id")
                .query(Journeys::stored).list();
    }

    void saveDraft(int id, String name, String draft) {
        jdbc.sql("UPDATE journeys SET draft = ?::jsonb, name = ?, updated_at = now() WHERE id = ?").params(draft, name, id).update();
    }

    /** Freezes the draft as the next version and makes it current; returns the version. */
    int publish(int id, String definition) {
        int version = jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM journey_versions WHERE journey_id = ?")
                .param(id).query(Integer.class).single();
        jdbc.sql("INSERT INTO journey_versions (journey_id, version, definition) VALUES (?, ?, ?::jsonb)")
                .params(id, version, definition).update();
        jdbc.sql("UPDATE journeys SET status = 'PUBLISHED', current_version = ?, draft = NULL, updated_at = now() WHERE id = ?")
                .params(version, id).update();
        return version;
    }

    void setStatus(int id, Status status) {
        jdbc.sql("UPDATE journeys SET status = ?, updated_at = now() WHERE id = ?").params(status.name(), id).update();
    }

    List<Version> versions(int journey) {
        return jdbc.sql("SELECT journey_id, version, definition::text FROM journey_versions WHERE journey_id = ? ORDER BY version")
                .param(journey).query((rs, row) -> new Version(rs.getInt(1), rs.getInt(2), rs.getString(3))).list();
    }

    private static Stored stored(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        int version = rs.getInt(5);
        return new Stored(rs.getInt(1), rs.getInt(2), rs.getString(3), Status.valueOf(rs.getString(4)),
                rs.wasNull() ? null : version, rs.getString(6));
    }
}
