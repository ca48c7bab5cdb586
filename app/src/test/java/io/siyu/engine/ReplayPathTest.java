package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayPathTest {

    @TempDir
    Path snapshots;

    /** A log held in memory; {@code failAt} makes replay throw when it reaches that sequence number. */
    static final class MemoryLog implements EventLog, IdentityRules {
        final List<Event> events = new ArrayList<>();
        long failAt = Long.MAX_VALUE;

        @Override
        public void append(List<Event> batch) {
            events.addAll(batch);
        }

        @Override
        public long lastSeq() {
            return events.isEmpty() ? 0 : events.getLast().seq();
        }

        @Override
        public void replay(long afterSeq, int tenant, Consumer<Event> sink) {
            for (Event event : events) {
                if (event.seq() >= failAt) {
                    throw new IllegalStateException("log unreadable at " + event.seq());
                }
                if (event.seq() > afterSeq && (tenant == 0 || event.tenant() == tenant)) {
                    sink.accept(event);
                }
            }
        }

        @Override
        public List<Distinct> distinctFor(int tenant) {
            return List.of();
        }

        @Override
        public void addDistinct(int tenant, Distinct rule) {}
    }

    private static Event event(long seq, int tenant, int person, boolean identifies) {
        List<Identifier> ids = new ArrayList<>();
        if (identifies) {
            ids.add(new Identifier(IdentifierType.USER_ID, "u" + person));
        }
        ids.add(new Identifier(IdentifierType.ANONYMOUS_ID, "a" + person));
        return new Event(tenant, seq, EventKind.TRACK, seq % 7 == 0 ? "Order Completed" : "Product Viewed",
                1_790_000_000_000L + seq * 1_000, 1_790_000_000_000L, "m" + seq, ids, new Traits(),
                seq % 7 == 0 ? 12_900 : -1, null, List.of("美妆"), "app", null, List.of(), new byte[0], new byte[0]);
    }

    private static MemoryLog logOf(int events) {
        MemoryLog log = new MemoryLog();
        for (long seq = 1; seq <= events; seq++) {
            int person = (int) (seq * 7_919 % 3_000);
            log.events.add(event(seq, seq % 3 == 0 ? 2 : 1, person, seq % 5 == 0));
        }
        return log;
    }

    /** Orders and events over every live profile, as one comparable pair. */
    private static List<Long> ordersAndEvents(TenantState state) {
        long orders = 0, events = 0;
        for (int person = 0; person < state.graph().size(); person++) {
            var profile = state.profile(person);
            if (profile != null) {
                orders += profile.orderCount();
                events += profile.eventCount();
            }
        }
        return List.of(orders, events);
    }

    private Engine engineOn(MemoryLog log) {
        return new Engine(log, log, new SnapshotStore(snapshots), Clock.systemUTC(), Engine.Settings.defaults(),
                EngineListener.NONE);
    }

    @Test
    void replayBuildsTheSameStateAsApplyingTheLogInOrder() {
        MemoryLog log = logOf(25_000);
        TenantState expected = new TenantState(1);
        log.events.stream().filter(e -> e.tenant() == 1).forEach(expected::apply);

        Engine engine = engineOn(log);
        engine.start();
        try {
            assertThat(engine.replayedEvents()).isEqualTo(25_000);
            assertThat(engine.query(1, TenantState::applied).join()).isEqualTo(expected.applied());
            assertThat(engine.query(1, TenantState::people).join()).isEqualTo(expected.people());
            assertThat(engine.query(1, TenantState::lastAppliedSeq).join()).isEqualTo(expected.lastAppliedSeq());
            assertThat(engine.query(1, ReplayPathTest::ordersAndEvents).join()).isEqualTo(ordersAndEvents(expected));
            assertThat(engine.query(2, TenantState::applied).join()).isEqualTo(25_000 / 3);
        } finally {
            engine.close();
        }
    }

    @Test
    void failsToStartWhenTheLogCannotBeReplayed() {
        MemoryLog log = logOf(5_000);
        log.failAt = 4_000;
        Engine engine = engineOn(log);
        assertThatThrownBy(engine::start).hasMessageContaining("log unreadable at 4000");
    }
}
