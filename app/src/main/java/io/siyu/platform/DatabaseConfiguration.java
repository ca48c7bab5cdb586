package io.siyu.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.Closeable;
import java.io.IOException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** PostgreSQL is the system of record: an external server when configured, the embedded one otherwise. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /** The database in use and how to release it. */
    record Database(DataSource dataSource, Closeable closer) implements Closeable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    @Bean(destroyMethod = "close")
    Database database(SiyuProperties properties) {
        if (properties.db().external()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(properties.db().url());
            config.setUsername(properties.db().user());
            config.setPassword(properties.db().password());
            config.setMaximumPoolSize(16);
            config.setPoolName("siyu");
            HikariDataSource pool = new HikariDataSource(config);
            return new Database(pool, pool);
        }
        EmbeddedDatabase embedded = new EmbeddedDatabase(properties.dataDir());
        return new Database(embedded.dataSource(), embedded);
    }

    @Bean
    DataSource dataSource(Database database) {
        return database.dataSource();
    }
}
