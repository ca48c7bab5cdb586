package io.siyu.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh embedded PostgreSQL with Siyu's migrations and one tenant, for the tests that drive the
 * engine, its log and its extensions without the application (replay, crash and snapshot tests):
 * {@code @RegisterExtension static final MigratedPostgres db = new MigratedPostgres(1, "replay");}
 */
public final class MigratedPostgres implements BeforeAllCallback, AfterAllCallback {

    private final int tenant;
    private final String slug;
    private EmbeddedPostgres postgres;
    private DataSource dataSource;

    public MigratedPostgres(int tenant, String slug) {
        this.tenant = tenant;
        this.slug = slug;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("INSERT INTO tenants (id, slug, name) VALUES (?, ?, ?)")) {
            s.setInt(1, tenant);
            s.setString(2, slug);
            s.setString(3, slug);
            s.executeUpdate();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        postgres.close();
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
