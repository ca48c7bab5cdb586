package io.siyu.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL that serves a small brand with nothing installed. Its data directory
 * is kept across restarts. A process killed with SIGKILL leaves its postmaster running; the next
 * start takes the data directory's lock, finds that orphan and stops it cleanly first, because
 * two postmasters can never share one directory.
 */
final class EmbeddedDatabase implements java.io.Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;
    private final HikariDataSource dataSource;

    EmbeddedDatabase(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve("siyu.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Another Siyu process is using data directory "
                        + dataDir.toAbsolutePath() + "; stop it or set SIYU_DATA_DIR to another directory");
            }
            Path pgDir = dataDir.resolve("pg");
            stopOrphanedPostmaster(pgDir);
            long started = System.nanoTime();
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("wal_buffers", "16MB")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    // A new WAL segment is created without writing 16 MB of zeros first. At 30,000
                    // events/s the log fills a segment about every second, and the zero-filling stalled
                    // the commit that crossed into it by ~60 ms (docs/benchmarks.md, session 8).
                    // Durability is unchanged: fsync and synchronous commit stay on.
                    .setServerConfig("wal_init_zero", "off")
                    .start();
            log.info("Embedded PostgreSQL started on port {} in {} ms, data in {}", postgres.getPort(),
                    (System.nanoTime() - started) / 1_000_000, pgDir.toAbsolutePath());
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            config.setUsername("postgres");
            config.setMaximumPoolSize(16);
            config.setPoolName("siyu-embedded");
            dataSource = new HikariDataSource(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    private static void stopOrphanedPostmaster(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid = Long.parseLong(lines.getFirst().trim());
        var orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (orphan.isEmpty()) {
            return;
        }
        String command = orphan.get().info().command().orElse("");
        if (!command.contains("postgres")) {
            return;
        }
        log.warn("Stopping PostgreSQL {} left running by a previous Siyu that did not shut down", pid);
        orphan.get().destroy(); // SIGTERM: smart shutdown would wait for clients, but they died with the JVM
        try {
            orphan.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL " + pid + " from a previous run did not stop", e);
        }
    }

    @Override
    public void close() throws IOException {
        dataSource.close();
        postgres.close();
        lock.release();
        lockChannel.close();
    }
}
