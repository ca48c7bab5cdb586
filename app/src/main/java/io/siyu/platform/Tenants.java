package io.siyu.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenants of this installation. */
@Repository
public class Tenants {

    private final JdbcClient jdbc;

    Tenants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @throws InvalidInput when the slug is malformed or taken
     */
    public Tenant create(String slug, String name) {
        if (slug == null || !slug.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new InvalidInput("slug", "pattern", "slug must be 2–63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "length", "name must be 1–200 characters");
        }
        try {
            return jdbc.sql("INSERT INTO tenants (slug, name) VALUES (?, ?) RETURNING id, slug, name, created_at")
                    .params(slug, name).query(Tenants::map).single();
        } catch (DuplicateKeyException e) {
            throw new InvalidInput("slug", "unique", "a tenant with slug '" + slug + "' already exists");
        }
    }

    public Optional<Tenant> find(TenantId id) {
        return jdbc.sql("SELECT id, slug, name, created_at FROM tenants WHERE id = ?").param(id.value())
                .query(Tenants::map).optional();
    }

    public Optional<Tenant> findBySlug(String slug) {
        return jdbc.sql("SELECT id, slug, name, created_at FROM tenants WHERE slug = ?").param(slug)
                .query(Tenants::map).optional();
    }

    public List<Tenant> all() {
        return jdbc.sql("SELECT id, slug, name, created_at FROM tenants ORDER BY id").query(Tenants::map).list();
    }

    public Tenant rename(TenantId id, String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInput("name", "length", "name must be 1–200 characters");
        }
        return jdbc.sql("UPDATE tenants SET name = ? WHERE id = ? RETURNING id, slug, name, created_at")
                .params(name, id.value()).query(Tenants::map).optional()
                .orElseThrow(() -> new NotFound("tenant " + id.value() + " does not exist"));
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        return new Tenant(new TenantId(rs.getInt("id")), rs.getString("slug"), rs.getString("name"),
                rs.getTimestamp("created_at").toInstant());
    }
}
