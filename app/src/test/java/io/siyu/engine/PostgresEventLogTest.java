package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresEventLogTest {

    @TempDir
    static Path data;

    static EmbeddedPostgres postgres;
    static PostgresEventLog log;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
        String schema;
        try (var in = PostgresEventLogTest.class.getResourceAsStream("/db/migration/V1__foundation.sql")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(schema);
        }
        log = new PostgresEventLog(postgres.getPostgresDatabase());
        List<Event> first = new ArrayList<>();
        for (long seq = 1; seq <= 2_500; seq++) {
            first.add(withTenant(EventCodecTest.sample(seq, "Product Viewed " + seq), seq % 2 == 0 ? 7 : 8));
        }
        log.append(first);
        log.append(List.of(withTenant(EventCodecTest.sample(2_501, "Order Completed 订单"), 7)));
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    private static Event withTenant(Event e, int tenant) {
        return new Event(tenant, e.seq(), e.kind(), e.name(), e.timestamp(), e.receivedAt(), e.messageId(), e.identifiers(),
                e.traits(), e.revenueFen(), e.orderId(), e.categories(), e.channel(), e.source(), e.sealed(),
                e.properties(), e.context());
    }

    @Test
    void replaysEveryEventInOrderExactlyAsAppended() {
        List<Event> replayed = new ArrayList<>();
        log.replay(0, 0, replayed::add);
        assertThat(replayed).hasSize(2_501);
        for (int i = 0; i < replayed.size(); i++) {
            Event event = replayed.get(i);
            assertThat(event.seq()).isEqualTo(i + 1);
            Event expected = withTenant(EventCodecTest.sample(i + 1, i == 2_500 ? "Order Completed 订单" : "Product Viewed " + (i + 1)),
                    i == 2_500 || (i + 1) % 2 == 0 ? 7 : 8);
            assertThat(event.tenant()).isEqualTo(expected.tenant());
            assertThat(EventCodec.encode(event)).isEqualTo(EventCodec.encode(expected));
        }
        assertThat(log.lastSeq()).isEqualTo(2_501);
    }

    @Test
    void aParallelReplayOverInterleavedRangesGivesTheSameEventsInTheSameOrder() {
        PostgresEventLog single = new PostgresEventLog(postgres.getPostgresDatabase(), 1_000_000, 1);
        PostgresEventLog parallel = new PostgresEventLog(postgres.getPostgresDatabase(), 97, 3);
        for (long from : new long[] {0, 1_234, 2_400, 2_500}) {
            List<byte[]> expected = new ArrayList<>();
            List<Long> expectedSeqs = new ArrayList<>();
            single.replay(from, 0, e -> {
                expected.add(EventCodec.encode(e));
                expectedSeqs.add(e.seq());
            });
            List<byte[]> actual = new ArrayList<>();
            List<Long> actualSeqs = new ArrayList<>();
            Thread caller = Thread.currentThread();
            parallel.replay(from, 0, e -> {
                assertThat(Thread.currentThread()).as("the sink runs on the caller's thread").isSameAs(caller);
                actual.add(EventCodec.encode(e));
                actualSeqs.add(e.seq());
            });
            assertThat(actualSeqs).as("from " + from).isEqualTo(expectedSeqs).hasSize((int) (2_501 - from));
            assertThat(actual).usingElementComparator(java.util.Arrays::compare).isEqualTo(expected);
        }
        List<Long> tenant8 = new ArrayList<>();
        parallel.replay(0, 8, e -> tenant8.add(e.seq()));
        assertThat(tenant8).hasSize(1_250);
    }

    @Test
    void aParallelReplayStopsItsReadersWhenTheSinkFails() {
        PostgresEventLog parallel = new PostgresEventLog(postgres.getPostgresDatabase(), 50, 2);
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> parallel.replay(0, 0, e -> {
            if (e.seq() == 777) {
                throw new IllegalStateException("apply failed at 777");
            }
            seen.add(e.seq());
        })).hasMessage("apply failed at 777");
        assertThat(seen).hasSize(776).last().isEqualTo(776L);
        List<Long> again = new ArrayList<>();
        parallel.replay(0, 0, e -> again.add(e.seq()));
        assertThat(again).as("a replay after the failure reads everything").hasSize(2_501);
    }

    @Test
    void replaysFromAPositionAndForOneTenant() {
        List<Long> after = new ArrayList<>();
        log.replay(2_400, 0, e -> after.add(e.seq()));
        assertThat(after).hasSize(101).first().isEqualTo(2_401L);
        List<Event> tenant8 = new ArrayList<>();
        log.replay(0, 8, tenant8::add);
        assertThat(tenant8).hasSize(1_250).allMatch(e -> e.tenant() == 8);
    }

    @Test
    void leavesTheConnectionUsableWhenTheSinkFails() {
        assertThatThrownBy(() -> log.replay(0, 0, e -> {
            if (e.seq() == 10) {
                throw new IllegalStateException("stop at 10");
            }
        })).hasMessage("stop at 10");
        List<Long> again = new ArrayList<>();
        log.replay(2_490, 0, e -> again.add(e.seq()));
        assertThat(again).hasSize(11);
    }

    /**
     * The state after a replay from the log is, byte for byte, the state the same events built when
     * applied as they came in: 20,000 events with repeating and unique names, categories and channels
     * (more distinct values than the replay decoder's string table keeps), duplicates and merges.
     */
    @Test
    void theStateAfterReplayIsTheStateBuiltLive() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE replay_state");
        }
        javax.sql.DataSource database = postgres.getDatabase("postgres", "replay_state");
        String schema;
        try (var in = PostgresEventLogTest.class.getResourceAsStream("/db/migration/V1__foundation.sql")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(schema);
        }
        PostgresEventLog own = new PostgresEventLog(database);
        List<Event> events = ReplayDecodeTest.events(20_000, 3);
        TenantState live = new TenantState(1);
        for (int from = 0; from < events.size(); from += 700) {
            List<Event> group = events.subList(from, Math.min(events.size(), from + 700));
            own.append(group);
            group.forEach(live::apply);
        }
        TenantState replayed = new TenantState(1);
        own.replay(0, 0, replayed::apply);
        assertThat(replayed.lastAppliedSeq()).isEqualTo(20_000);
        assertThat(replayed.duplicates()).isPositive();
        assertThat(replayed.merges()).isNotEmpty();
        assertThat(snapshot(replayed)).isEqualTo(snapshot(live));
    }

    private static byte[] snapshot(TenantState state) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        state.write(new java.io.DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
