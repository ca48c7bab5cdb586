package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.PostgresEventLog;
import io.siyu.engine.SnapshotStore;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import io.siyu.segment.condition.ConditionParser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The columns segment scans read stay equal to the profiles through what changes a profile
 * without an event of its own: a merge folding two people together, and the day rolling over
 * under a windowed count. (Events in general are covered by {@link SegmentCountReferenceTest}.)
 */
class ColumnsTest {

    private static final long DAY = 86_400_000L;
    private static final Instant NOW = Instant.parse("2026-11-25T05:00:00Z");

    private static EmbeddedPostgres postgres;
    private static Engine engine;

    @BeforeAll
    static void start(@TempDir Path snapshots) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO tenants (id, slug, name) VALUES (1, 'merges', 'A'), (2, 'days', 'B')");
        }
        PostgresEventLog log = new PostgresEventLog(postgres.getPostgresDatabase());
        engine = new Engine(log, log, new SnapshotStore(snapshots), Clock.fixed(NOW, ZoneOffset.UTC),
                Engine.Settings.defaults(), EngineListener.NONE,
                List.of(new TagExtension(), new RfmExtension(), new SegmentExtension()));
        engine.start();
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        postgres.close();
    }

    @Test
    void aMergeFoldsTheColumnsOfBothPeopleTogether() {
        int t = 1;
        Identifier anonymous = new Identifier(IdentifierType.ANONYMOUS_ID, "a1");
        Identifier user = new Identifier(IdentifierType.USER_ID, "u1");
        Traits age = new Traits();
        age.set("age", 30L);
        submit(event(t, EventKind.IDENTIFY, "", NOW.toEpochMilli() - DAY, List.of(anonymous), age),
                event(t, EventKind.TRACK, "Product Viewed", NOW.toEpochMilli() - DAY, List.of(anonymous), new Traits()),
                event(t, EventKind.TRACK, "Product Viewed", NOW.toEpochMilli() - 2 * DAY, List.of(user), new Traits()));
        assertThat(count(t, "count(\"Product Viewed\", 7d) >= 2", NOW)).isZero();
        assertThat(count(t, "age = 30", NOW)).isEqualTo(1);
        assertThat(count(t, "count(\"Product Viewed\", 7d) >= 1 and age is missing", NOW)).isEqualTo(1);

        submit(event(t, EventKind.TRACK, "Logged In", NOW.toEpochMilli() - 3_600_000L, List.of(anonymous, user), new Traits()));

        assertThat(count(t, "count(\"Product Viewed\", 7d) >= 2 and age = 30", NOW)).isEqualTo(1);
        assertThat(count(t, "count(\"Product Viewed\", 7d) >= 1 and age is missing", NOW)).isZero();
        assertThat(count(t, "event_count = 4", NOW)).isEqualTo(1);
    }

    @Test
    void windowedCountsFollowTheDay() {
        int t = 2;
        Identifier user = new Identifier(IdentifierType.USER_ID, "u2");
        submit(event(t, EventKind.TRACK, "Order Completed", NOW.toEpochMilli() - 3 * DAY, List.of(user), new Traits()));
        assertThat(count(t, "count(\"Order Completed\", 7d) >= 1", NOW)).isEqualTo(1);
        assertThat(count(t, "count(\"Order Completed\", 7d) >= 1", NOW.plusMillis(4 * DAY))).isZero();
        assertThat(count(t, "days_since(last_seen) >= 7", NOW.plusMillis(4 * DAY))).isEqualTo(1);
        assertThat(count(t, "count(\"Order Completed\", 7d) >= 1", NOW)).isEqualTo(1);
    }

    private static long count(int tenant, String condition, Instant now) {
        return engine.ask(tenant, state -> new SegmentCounter(state, now.toEpochMilli())
                .members(ConditionParser.parse(condition)).getLongCardinality());
    }

    private static void submit(Event... events) {
        for (Event event : events) {
            engine.submit(List.of(event)).join(); // one at a time: the order decides who merges into whom
        }
    }

    private static Event event(int tenant, EventKind kind, String name, long at, List<Identifier> ids, Traits traits) {
        return new Event(tenant, 0, kind, name, at, at, "m-" + UUID.randomUUID(), ids, traits, -1, null, List.of(),
                "app", null, List.of(), "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
