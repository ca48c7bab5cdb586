package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.profile.ProfileView;
import io.siyu.support.MigratedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition captures a snapshot between two events and goes on applying while another thread
 * writes it: the snapshot must still be exactly the state at its sequence number, neither missing
 * an event before it nor holding one after it.
 */
class SnapshotWhileIngestingTest {

    private static final int TENANT = 1;
    private static final Clock clock = Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC);
    @RegisterExtension
    static final MigratedPostgres db = new MigratedPostgres(TENANT, "snapshot-live");

    /** The real log as it was at {@code seq}: what a restart at that moment would have found. */
    private record LogUpTo(PostgresEventLog real, long seq) implements EventLog {
        @Override
        public void append(List<Event> events) {
            throw new UnsupportedOperationException("read-only view of the log");
        }

        @Override
        public long lastSeq() {
            return seq;
        }

        @Override
        public void replay(long afterSeq, int tenant, Consumer<Event> sink) {
            real.replay(afterSeq, tenant, event -> {
                if (event.seq() <= seq) {
                    sink.accept(event);
                }
            });
        }
    }

    @Test
    void aSnapshotTakenWhileEventsKeepArrivingRestoresExactlyTheStateAtItsSeq(@TempDir Path live, @TempDir Path copy,
            @TempDir Path empty) throws Exception {
        PostgresEventLog log = new PostgresEventLog(db.dataSource());
        Engine engine = new Engine(log, log, new SnapshotStore(live), clock, new Engine.Settings(1, 500, 1_500, 1024),
                EngineListener.NONE);
        engine.start();
        List<ProfileView> end;
        try {
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                submitters.add(CompletableFuture.runAsync(() -> {
                    Random random = new Random(thread);
                    for (int batch = 0; batch < 40; batch++) {
                        List<Event> events = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            events.add(EngineReplayTest.randomEvent(random, thread * 1_000_000 + batch * 100 + i));
                        }
                        engine.submit(events).join();
                    }
                }));
            }
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).join();
            engine.awaitSnapshots();
            Path marker = live.resolve("partition-0-of-1.seq");
            if (Files.exists(marker) && Long.parseLong(Files.readString(marker).trim()) == engine.lastSeq()) {
                // The last group happened to cross the snapshot interval (groups vary with timing), so the
                // snapshot covers everything; one more event puts the log past it. One event after a
                // capture cannot trigger another (the interval is 1,500).
                engine.submit(List.of(EngineReplayTest.randomEvent(new Random(99), 9_000_000))).join();
                engine.awaitSnapshots();
            }
            long last = engine.lastSeq();
            assertThat(engine.ask(TENANT, TenantState::lastAppliedSeq)).isEqualTo(last); // applied; no capture after this
            try (Stream<Path> files = Files.list(live)) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            end = EngineReplayTest.views(engine);
        } finally {
            engine.close();
        }
        long seq = Long.parseLong(Files.readString(copy.resolve("partition-0-of-1.seq")).trim());
        assertThat(seq).as("the last snapshot was taken while events were still arriving")
                .isGreaterThan(0).isLessThan(log.lastSeq());

        LogUpTo then = new LogUpTo(log, seq);
        Engine restored = new Engine(then, log, new SnapshotStore(copy), clock, new Engine.Settings(1, 500, 1_000_000, 1024),
                EngineListener.NONE);
        Engine replayed = new Engine(then, log, new SnapshotStore(empty), clock, new Engine.Settings(1, 500, 1_000_000, 1024),
                EngineListener.NONE);
        restored.start();
        replayed.start();
        try {
            assertThat(restored.replayedEvents()).isZero(); // the snapshot alone
            assertThat(replayed.replayedEvents()).isEqualTo(seq);
            assertThat(restored.ask(TENANT, TenantState::lastAppliedSeq)).isEqualTo(seq);
            assertThat(restored.ask(TENANT, TenantState::applied)).isEqualTo(replayed.ask(TENANT, TenantState::applied));
            assertThat(restored.ask(TENANT, TenantState::duplicates)).isEqualTo(replayed.ask(TENANT, TenantState::duplicates));
            List<TenantState.MergeRecord> merges = restored.ask(TENANT, s -> List.copyOf(s.merges()));
            assertThat(merges).isEqualTo(replayed.ask(TENANT, s -> List.copyOf(s.merges())));
            List<ProfileView> atSeq = EngineReplayTest.views(replayed);
            assertThat(EngineReplayTest.views(restored)).isEqualTo(atSeq);
            assertThat(atSeq).as("later events changed the state, so equality above is about the seq").isNotEqualTo(end);
        } finally {
            restored.close();
            replayed.close();
        }
    }
}
