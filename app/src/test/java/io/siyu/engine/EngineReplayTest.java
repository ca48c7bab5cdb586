package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import io.siyu.support.MigratedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's state is a materialised view of the log: restoring from a snapshot plus the tail of
 * the log, or replaying the whole log, gives exactly the state the running engine had.
 */
class EngineReplayTest {

    private static final int TENANT = 1;
    private static final Clock clock = Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC);
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(1, "replay");

    @Test
    void snapshotPlusTailAndFullReplayBothRebuildTheLiveState(@TempDir Path snapshots, @TempDir Path empty) {
        long logged = new PostgresEventLog(db.dataSource()).lastSeq();
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Engine live = new Engine(log, log, new SnapshotStore(snapshots), clock,
                new Engine.Settings(1, 500, 700, 1024), EngineListener.NONE);
        live.start();
        Random random = new Random(42);
        for (int batch = 0; batch < 40; batch++) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add(randomEvent(random, batch * 100 + i));
            }
            live.submit(events).join();
        }
        List<ProfileView> before = views(live);
        // no close(): the last snapshot is older than the log, as after a crash
        live.awaitSnapshots(); // the periodic ones are written off the partition thread
        Engine fromSnapshot = new Engine(log, log, new SnapshotStore(snapshots), clock,
                new Engine.Settings(1, 500, 700, 1024), EngineListener.NONE);
        fromSnapshot.start();
        Engine fromLog = new Engine(log, log, new SnapshotStore(empty), clock,
                new Engine.Settings(1, 500, 1_000_000, 1024), EngineListener.NONE);
        fromLog.start();
        try {
            assertThat(fromSnapshot.replayedEvents()).isLessThan(4000).isGreaterThan(0);
            assertThat(log.lastSeq()).isEqualTo(logged + 4000);
            assertThat(fromLog.replayedEvents()).isEqualTo(log.lastSeq()); // every logged event, this test's 4000 included
            assertThat(views(fromSnapshot)).isEqualTo(before);
            assertThat(views(fromLog)).isEqualTo(before);
        } finally {
            live.close();
            fromSnapshot.close();
            fromLog.close();
        }
    }

    /** The real log, with faults injected around it. */
    private static final class FaultyLog implements EventLog {
        final PostgresEventLog real = new PostgresEventLog(db.dataSource());
        volatile boolean failBeforeWrite;
        volatile boolean failAfterCommit;
        volatile boolean lastSeqUnreachable;

        @Override
        public void append(List<Event> events) {
            if (failBeforeWrite) {
                throw new IllegalStateException("connection refused");
            }
            real.append(events);
            if (failAfterCommit) {
                throw new IllegalStateException("connection reset after COMMIT");
            }
        }

        @Override
        public long lastSeq() {
            if (lastSeqUnreachable) {
                throw new IllegalStateException("connection refused");
            }
            return real.lastSeq();
        }

        @Override
        public void replay(long afterSeq, int tenant, java.util.function.Consumer<Event> sink) {
            real.replay(afterSeq, tenant, sink);
        }
    }

    @Test
    void writeFailuresNeitherLoseAcknowledgedEventsNorReuseSequenceNumbers(@TempDir Path snapshots) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("INSERT INTO tenants (id, slug, name) VALUES (2, 'faulty', 'Faulty') ON CONFLICT DO NOTHING");
        }
        FaultyLog log = new FaultyLog();
        Engine engine = new Engine(log, log.real, new SnapshotStore(snapshots), clock, Engine.Settings.defaults(),
                EngineListener.NONE);
        engine.start();
        try {
            long before = engine.lastSeq();
            log.failAfterCommit = true;
            long acknowledged = engine.submit(List.of(event(2, "committed-anyway"))).get();
            assertThat(acknowledged).isEqualTo(before + 1);
            log.failAfterCommit = false;

            log.failBeforeWrite = true;
            assertThat(engine.submit(List.of(event(2, "never-written")))).failsWithin(java.time.Duration.ofSeconds(10));
            log.failBeforeWrite = false;

            log.failAfterCommit = true;
            log.lastSeqUnreachable = true;
            assertThat(engine.submit(List.of(event(2, "unsettled")))).failsWithin(java.time.Duration.ofSeconds(10));
            log.failAfterCommit = false;
            log.lastSeqUnreachable = false;

            long next = engine.submit(List.of(event(2, "after-recovery"))).get();
            assertThat(next).isEqualTo(before + 3);
            int events = engine.ask(2, state -> state.profile(state.graph().lookup(
                    new Identifier(IdentifierType.USER_ID, "faulty-user"))).eventCount());
            assertThat(events).as("committed-anyway, unsettled (found in the log) and after-recovery").isEqualTo(3);
        } finally {
            engine.close();
        }
    }

    /** The real log, whose commits wait for the test and can be made to fail before committing. */
    private static final class GatedLog implements EventLog {
        final PostgresEventLog real = new PostgresEventLog(db.dataSource());
        final java.util.concurrent.BlockingQueue<String> calls = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.Semaphore commits = new java.util.concurrent.Semaphore(0);
        volatile boolean failNextCommit;

        @Override
        public void append(List<Event> events) {
            write(events).commit();
        }

        @Override
        public Pending write(List<Event> events) {
            Pending pending = real.write(events);
            calls.add("write " + events.getFirst().messageId());
            return new Pending() {
                @Override
                public void commit() {
                    calls.add("commit " + events.getFirst().messageId());
                    commits.acquireUninterruptibly();
                    if (failNextCommit) {
                        failNextCommit = false;
                        pending.abort();
                        throw new IllegalStateException("connection reset before COMMIT");
                    }
                    pending.commit();
                }

                @Override
                public void abort() {
                    calls.add("abort " + events.getFirst().messageId());
                    pending.abort();
                }
            };
        }

        @Override
        public long lastSeq() {
            return real.lastSeq();
        }

        @Override
        public void replay(long afterSeq, int tenant, java.util.function.Consumer<Event> sink) {
            real.replay(afterSeq, tenant, sink);
        }

        String next() throws InterruptedException {
            String call = calls.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(call).as("the log writer's next call").isNotNull();
            return call;
        }
    }

    @Test
    void theNextGroupIsWrittenWhileTheLastCommitsAndAcknowledgementsStayInOrder(@TempDir Path snapshots) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("INSERT INTO tenants (id, slug, name) VALUES (2, 'faulty', 'Faulty') ON CONFLICT DO NOTHING");
        }
        GatedLog log = new GatedLog();
        Engine.Settings pipelined = new Engine.Settings(1, 2_000, 50_000, 8_192, true);
        Engine engine = new Engine(log, log.real, new SnapshotStore(snapshots), clock, pipelined, EngineListener.NONE);
        engine.start();
        try {
            long before = engine.lastSeq();
            var first = engine.submit(List.of(event(2, "p-1")));
            assertThat(log.next()).isEqualTo("write p-1");
            assertThat(log.next()).isEqualTo("commit p-1");
            var second = engine.submit(List.of(event(2, "p-2"), event(2, "p-2b")));
            assertThat(log.next()).as("COPYed while p-1's commit is still running").isEqualTo("write p-2");
            Thread.sleep(200);
            assertThat(log.calls).as("p-2 is not committed before p-1 is settled").isEmpty();
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            log.commits.release();
            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(before + 1);
            assertThat(log.next()).isEqualTo("commit p-2");
            assertThat(second).isNotDone();
            log.commits.release();
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(before + 3);

            // the commit in flight fails and is not in the log: the group COPYed behind it is rolled back
            log.failNextCommit = true;
            var lost = engine.submit(List.of(event(2, "p-3")));
            assertThat(log.next()).isEqualTo("write p-3");
            assertThat(log.next()).isEqualTo("commit p-3");
            var behind = engine.submit(List.of(event(2, "p-4")));
            assertThat(log.next()).isEqualTo("write p-4");
            log.commits.release();
            assertThat(log.next()).isEqualTo("abort p-4");
            assertThat(lost).failsWithin(java.time.Duration.ofSeconds(10));
            assertThat(behind).failsWithin(java.time.Duration.ofSeconds(10));
            assertThat(log.lastSeq()).isEqualTo(before + 3);

            log.commits.release(10);
            assertThat(engine.submit(List.of(event(2, "p-5"))).get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .as("no sequence number was used twice or skipped").isEqualTo(before + 4);
            List<String> logged = new ArrayList<>();
            log.replay(before, 2, e -> logged.add(e.seq() - before + ":" + e.messageId()));
            assertThat(logged).containsExactly("1:p-1", "2:p-2", "3:p-2b", "4:p-5");
            int events = engine.ask(2, state -> state.profile(state.graph().lookup(
                    new Identifier(IdentifierType.USER_ID, "faulty-user"))).eventCount());
            assertThat(events).isGreaterThanOrEqualTo(4);
        } finally {
            log.commits.release(100);
            engine.close();
        }
    }

    private static Event event(int tenant, String messageId) {
        return new Event(tenant, 0, EventKind.TRACK, "Logged In", clock.millis(), clock.millis(), messageId,
                List.of(new Identifier(IdentifierType.USER_ID, "faulty-user")), new Traits(), -1, null, List.of(), "app",
                null, List.of(), new byte[0], new byte[0]);
    }

    /** Every unmerged person's view in the engine's tenant (also used by {@link SnapshotWhileIngestingTest}). */
    static List<ProfileView> views(Engine engine) {
        return engine.query(TENANT, state -> {
            List<ProfileView> views = new ArrayList<>();
            for (int p = 0; p < state.graph().size(); p++) {
                if (!state.graph().isMerged(p)) {
                    views.add(state.view(p, clock.millis()));
                }
            }
            return views;
        }).join();
    }

    /** A random event of 300 people, some identified, some merged, some repeated (also used by {@link SnapshotWhileIngestingTest}). */
    static Event randomEvent(Random random, int n) {
        List<Identifier> ids = new ArrayList<>();
        int person = random.nextInt(300);
        ids.add(new Identifier(IdentifierType.ANONYMOUS_ID, "a" + person));
        if (random.nextInt(4) == 0) {
            ids.addFirst(new Identifier(IdentifierType.USER_ID, "u" + (person % 250)));
        }
        String name = switch (random.nextInt(5)) {
            case 0 -> "Order Completed";
            case 1 -> "Product Added";
            case 2 -> "Order Refunded";
            default -> "Product Viewed";
        };
        Traits traits = new Traits();
        if (random.nextInt(10) == 0) {
            traits.set("city", random.nextBoolean() ? "上海" : "成都");
        }
        long time = clock.millis() - random.nextInt(90) * 86_400_000L;
        String messageId = random.nextInt(20) == 0 ? "dup-" + random.nextInt(50) : "m-" + n;
        return new Event(TENANT, 0, EventKind.TRACK, name, time, clock.millis(), messageId, ids, traits,
                name.startsWith("Order") ? random.nextInt(50_000) : -1, name.startsWith("Order") ? "o" + n : null,
                List.of(random.nextBoolean() ? "母婴" : "美妆"), "app", random.nextInt(30) == 0 ? "live-stream" : null,
                List.of(), "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /** The real log; while {@code held}, an append (at commit) waits until released, so later submissions pile up behind it. */
    private static final class HeldLog implements EventLog {
        final PostgresEventLog real = new PostgresEventLog(db.dataSource());
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        volatile boolean held;

        @Override
        public void append(List<Event> events) {
            append(events, List.of());
        }

        @Override
        public void append(List<Event> events, List<Attached> attached) {
            if (held) {
                held = false;
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            real.append(events, attached);
        }

        @Override
        public long lastSeq() {
            return real.lastSeq();
        }

        @Override
        public void replay(long afterSeq, int tenant, java.util.function.Consumer<Event> sink) {
            real.replay(afterSeq, tenant, sink);
        }
    }

    private static EventLog.Attached row(String id) {
        return connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO attached_rows (id) VALUES (?)")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
        };
    }

    @Test
    void anAttachedWriteCommitsWithItsEventsAndOneThatFailsFailsOnlyItsOwnSubmission(@TempDir Path snapshots) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("INSERT INTO tenants (id, slug, name) VALUES (3, 'attached', 'Attached') ON CONFLICT DO NOTHING");
            st.execute("CREATE TABLE attached_rows (id text PRIMARY KEY)");
        }
        HeldLog log = new HeldLog();
        Engine engine = new Engine(log, log.real, new SnapshotStore(snapshots), clock, Engine.Settings.defaults(),
                EngineListener.NONE);
        engine.start();
        try {
            long before = engine.lastSeq();
            log.held = true;
            var blocker = engine.submit(List.of(event(3, "blocker")));
            assertThat(log.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // these three queue behind the blocked append and are written as one group
            var withRow = engine.submit(List.of(event(3, "with-row")), row("r-1"));
            var withRepeatedRow = engine.submit(List.of(event(3, "with-repeated-row")), row("r-1"));
            var plain = engine.submit(List.of(event(3, "plain")));
            log.release.countDown();

            assertThat(blocker.get()).isEqualTo(before + 1);
            assertThat(withRepeatedRow).failsWithin(java.time.Duration.ofSeconds(10));
            // the group failed on the repeated row; the others were written again without it, gap-free (how the
            // three were grouped depends on when the pipelined writer polled, so their order may vary)
            assertThat(List.of(plain.get(), withRow.get())).containsExactlyInAnyOrder(before + 2, before + 3);
            assertThat(engine.lastSeq()).isEqualTo(before + 3);
            List<String> logged = new ArrayList<>();
            log.real.replay(before, 3, e -> logged.add(e.messageId()));
            assertThat(logged).hasSize(3).first().isEqualTo("blocker");
            assertThat(logged).containsExactlyInAnyOrder("blocker", "plain", "with-row");
            try (var c = db.dataSource().getConnection(); var st = c.createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM attached_rows WHERE id = 'r-1'")) {
                rs.next();
                assertThat(rs.getInt(1)).isOne();
            }
            assertThatThrownBy(() -> engine.submit(List.of(), row("r-2"))).isInstanceOf(IllegalArgumentException.class);
        } finally {
            engine.close();
        }
    }
}
