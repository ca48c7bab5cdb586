package io.siyu.compliance;

import io.siyu.platform.TenantId;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each tenant's own term lists, kept in PostgreSQL; the lexicon is compiled from them. */
@Repository
class LexiconLists {

    /** What a list's terms do: findings that block or need review, or phrases that excuse a shipped term. */
    enum Kind { BLOCK, REVIEW, ALLOW }

    record TermList(String name, Kind kind, List<String> terms, Instant updatedAt) {}

    private final JdbcClient jdbc;

    LexiconLists(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true when the list is new */
    boolean save(TenantId tenant, String name, Kind kind, List<String> terms) {
        return jdbc.sql("""
                INSERT INTO compliance_lists (tenant_id, name, kind, terms) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET kind = excluded.kind, terms = excluded.terms, updated_at = now()
                RETURNING (xmax = 0)""")
                .params(tenant.value(), name, kind.name(), terms.toArray(String[]::new))
                .query(Boolean.class).single();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("DELETE FROM compliance_lists WHERE tenant_id = ? AND name = ?").params(tenant.value(), name)
                .update() > 0;
    }

    Optional<TermList> find(TenantId tenant, String name) {
        return jdbc.sql("SELECT name, kind, terms, updated_at FROM compliance_lists WHERE tenant_id = ? AND name = ?")
                .params(tenant.value(), name).query((rs, row) -> termList(rs)).optional();
    }

    List<TermList> all(TenantId tenant) {
        return jdbc.sql("SELECT name, kind, terms, updated_at FROM compliance_lists WHERE tenant_id = ? ORDER BY name")
                .params(tenant.value()).query((rs, row) -> termList(rs)).list();
    }

    private static TermList termList(java.sql.ResultSet rs) throws SQLException {
        Array terms = rs.getArray(3);
        String[] values = (String[]) terms.getArray();
        return new TermList(rs.getString(1), Kind.valueOf(rs.getString(2)), Arrays.asList(values),
                rs.getTimestamp(4).toInstant());
    }
}
