package io.siyu.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.PostgresEventLog;
import io.siyu.engine.SnapshotStore;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.PersonalMasks;
import io.siyu.platform.TenantId;
import io.siyu.privacy.AuditLog;
import io.siyu.privacy.ProfileMasks;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * What masking and auditing add to a profile read. {@code read} is what the profile endpoint does
 * without them (the engine's view of a random person, asked on its partition, written as JSON);
 * {@code readMaskedAudited} does the same read work and adds what {@code ProfileReadGuard} does for
 * every role but admin: the masked copy (the sealed e-mail shown by the mask it carries, the phone
 * and name masked) and the read's audit entry ({@code AuditLog.note}, with the detail string the
 * guard builds), while the audit writer thread numbers the reads, writes them to {@code audit_reads}
 * by binary COPY and seals each group with a chained entry in the real embedded PostgreSQL, in the
 * background during the measurement. The writer uses a connection pool (Hikari), as it does in the
 * application. Not included in either: HTTP, authentication, the erasure check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProfileReadBenchmark {

    private static final int TENANT = 1;

    @Param("100000")
    int people;

    private EmbeddedPostgres postgres;
    private Engine engine;
    private AuditLog audit;
    private HikariDataSource auditPool;
    private final JsonMapper json = JsonMapper.builder().build();
    private Path dir;

    @Setup
    public void load() throws Exception {
        dir = Files.createTempDirectory("siyu-profile-read");
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
        DataSource dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO tenants (id, slug, name) VALUES (1, 'bench', 'Bench')");
        }
        PostgresEventLog log = new PostgresEventLog(dataSource);
        engine = new Engine(log, log, new SnapshotStore(dir.resolve("snapshots")), Clock.systemUTC(),
                new Engine.Settings(1, 5_000, 100_000_000, 16_384), EngineListener.NONE);
        engine.start();
        long now = System.currentTimeMillis();
        FieldCipher cipher = new FieldCipher(new byte[32]);
        TenantId tenant = new TenantId(TENANT);
        List<Event> batch = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            Traits traits = new Traits();
            traits.set("phone", "138****" + String.format("%04d", p % 10_000));
            String email = "user" + p + "@example.com"; // sealed with its mask, as ingestion keeps it
            traits.set("email", cipher.sealText(tenant, "email:" + cipher.blindIndex(tenant, "email", email), email,
                    PersonalMasks.email(email)));
            traits.set("name", "用户" + p);
            traits.set("city", p % 2 == 0 ? "上海" : "杭州");
            List<Identifier> ids = List.of(new Identifier(IdentifierType.USER_ID, "u" + p));
            batch.add(new Event(TENANT, 0, EventKind.IDENTIFY, "", now - 86_400_000L, now, "i" + p, ids, traits, -1, null,
                    List.of(), "web", null, List.of(), new byte[0], new byte[0]));
            for (int e = 0; e < 3; e++) {
                batch.add(new Event(TENANT, 0, EventKind.TRACK, e == 2 ? "Order Completed" : "Product Viewed", now - e * 3_600_000L,
                        now, "t" + p + "-" + e, ids, new Traits(), e == 2 ? 19_900 : -1, e == 2 ? "o" + p : null, List.of("母婴"),
                        "miniprogram", null, List.of(), "{}".getBytes(StandardCharsets.UTF_8), new byte[0]));
            }
            if (batch.size() >= 4_000) {
                engine.submit(batch).join();
                batch = new ArrayList<>();
            }
        }
        engine.submit(batch).join();
        // the audit writer over a connection pool, as in the application (Hikari): without one, every group it wrote
        // opened a new connection, i.e. a new PostgreSQL backend process per group
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(dataSource);
        pool.setMaximumPoolSize(2);
        auditPool = new HikariDataSource(pool);
        audit = new AuditLog(new JdbcTemplate(auditPool), new TransactionTemplate(new DataSourceTransactionManager(auditPool)),
                Clock.systemUTC(), new FieldCipher(new byte[32]));
    }

    /**
     * CPU time the embedded PostgreSQL has used so far (the postmaster, its live backends and the
     * backends that have exited), from /proc; -1 where that cannot be read. Linux clock ticks of
     * 10 ms, so only meaningful over a round of a second or more.
     */
    long postgresCpuNanos() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
            long ticks = 0;
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    String stat;
                    try {
                        stat = Files.readString(proc.resolve("stat"));
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(proc.getFileName().toString());
                    // after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
                    if (pid == postmaster || Long.parseLong(f[1]) == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                }
            }
            return ticks * 10_000_000L;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The audit log, for {@link ProfileReadBench} to wait for its entries. */
    AuditLog audit() {
        return audit;
    }

    private ProfileView view() {
        int person = ThreadLocalRandom.current().nextInt(people);
        long now = System.currentTimeMillis();
        return engine.ask(TENANT, state -> state.view(person, now));
    }

    @Benchmark
    public byte[] read() {
        return json.writeValueAsBytes(view());
    }

    @Benchmark
    public byte[] readMaskedAudited() {
        ProfileView view = view();
        audit.note(new TenantId(TENANT), "token:operator", "profile.read", view.id(), "GET /api/v1/profiles/" + view.id());
        return json.writeValueAsBytes(ProfileMasks.mask(view));
    }

    @TearDown
    public void close() throws Exception {
        audit.flush();
        auditPool.close();
        engine.close();
        postgres.close();
    }
}
