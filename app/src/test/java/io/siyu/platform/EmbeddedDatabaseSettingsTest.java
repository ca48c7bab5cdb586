package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL runs with the settings Siyu relies on: durable commits, no zero-filled WAL segments. */
class EmbeddedDatabaseSettingsTest {

    @Test
    void commitsAreDurableAndNewWalSegmentsAreNotZeroFilled(@TempDir Path dataDir) throws Exception {
        try (EmbeddedDatabase database = new EmbeddedDatabase(dataDir);
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(statement, "wal_init_zero")).isEqualTo("off");
            assertThat(setting(statement, "wal_recycle")).isEqualTo("on");
        }
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
