package io.siyu.journey;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.action.SendPolicy;
import io.siyu.engine.Engine;
import io.siyu.ingestion.Intake;
import io.siyu.journey.model.DefinitionParser;
import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JournalSink;
import io.siyu.journey.runtime.JourneyBook;
import io.siyu.journey.runtime.PersonLens;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionEvaluator;
import io.siyu.segment.condition.PersonFacts;
import io.siyu.segment.condition.PropertyFilter;
import io.siyu.segment.condition.Stat;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Journey runtime figures, in process, on a real embedded PostgreSQL (fsync on):
 * <ul>
 *   <li>{@code transitions}: N people enter a wait → branch → action flow (condition language
 *       evaluated per person, every step journaled, every action in the outbox); steps per second
 *       until the journal is durable;</li>
 *   <li>{@code drain}: the same N people's one-day waits all due at one instant: time from the
 *       clock reaching it until every resulting step and action is durable;</li>
 *   <li>{@code latency}: event → provider call p50/p99 through journal, outbox and dispatcher, at a
 *       fixed rate ({@code -Drate}, default 500/s), after {@code -Dwarmup} events (default 1,000) that are
 *       sent the same way but not measured;</li>
 *   <li>{@code memory}: heap after GC with N people waiting (no database);</li>
 *   <li>{@code restart}: N people waiting (durable), then the book rebuilt as a restart does it: from
 *       the whole journal, then from a snapshot plus the journal after it (N/10 more people entered
 *       after the snapshot); times each and checks both rebuilt books hold everybody;</li>
 *   <li>{@code compare}: {@code transitions} and {@code drain}, then the same N people through the same
 *       flow in Flowable on the same PostgreSQL instance ({@link FlowableBaseline}), and the ratios.</li>
 * </ul>
 * {@code java -Xmx8g -cp … io.siyu.journey.JourneyBench transitions|drain|latency|memory|restart|compare [people]}
 */
public final class JourneyBench {

    private static final String FLOW = """
            {"name": "bench", "trigger": {"type": "api"},
             "nodes": [
               {"id": "wait", "type": "wait", "duration": "P1D", "next": "branch"},
               {"id": "branch", "type": "branch", "condition": "order_count >= 3 and city = \\"上海\\"", "then": "offer", "else": "nudge"},
               {"id": "offer", "type": "action", "action": "bench", "parameters": {"text": "会员礼 {{trait.city}}"}, "next": "done"},
               {"id": "nudge", "type": "action", "action": "bench", "parameters": {"text": "新品"}, "next": "done"},
               {"id": "done", "type": "exit"}]}""";
    private static final String EVENT_FLOW = """
            {"name": "bench-event", "trigger": {"type": "event", "event": "Signed Up"},
             "nodes": [
               {"id": "branch", "type": "branch", "condition": "order_count >= 3 and city = \\"上海\\"", "then": "offer", "else": "offer"},
               {"id": "offer", "type": "action", "action": "bench", "parameters": {"text": "欢迎"}, "next": "done"},
               {"id": "done", "type": "exit"}]}""";
    private static final long START = 1_764_000_000_000L;

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "transitions";
        int people = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        JsonMapper json = JsonMapper.builder().build();
        JourneyDefinition flow = DefinitionParser.parse(json.readTree(FLOW), Map.of());
        if (what.equals("memory")) {
            memory(flow, people);
            return;
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/journey-bench-pg"))
                .setCleanDataDirectory(true).setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("shared_buffers", "256MB").setServerConfig("max_wal_size", "4GB")
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
             HikariDataSource dataSource = pool(postgres)) {
            schema(dataSource);
            switch (what) {
                case "transitions", "drain" -> transitionsAndDrain(dataSource, json, flow, people);
                case "latency" -> latency(dataSource, json, DefinitionParser.parse(json.readTree(EVENT_FLOW), Map.of()), people);
                case "compare" -> compare(postgres, dataSource, json, flow, people);
                case "restart" -> restart(dataSource, json, flow, people);
                default -> throw new IllegalArgumentException("transitions|drain|latency|memory|restart|compare");
            }
        }
    }

    /**
     * Siyu, then Flowable, on the same PostgreSQL instance (Flowable in its own database), same N,
     * same flow, one after the other with a checkpoint in between; prints both and the ratios.
     */
    private static void compare(EmbeddedPostgres postgres, HikariDataSource dataSource, JsonMapper json, JourneyDefinition flow,
            int people) throws Exception {
        int threads = Integer.getInteger("flowable.threads", 8);
        System.out.printf("compare: %,d people, wait 1 day → branch → action → exit; load average before: %.2f%n", people,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Figures siyu = transitionsAndDrain(dataSource, json, flow, people);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            s.execute("CREATE DATABASE flowable");
        }
        System.out.printf("flowable: engine starting (database 'flowable' on the same PostgreSQL); load average: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (FlowableBaseline flowable = new FlowableBaseline(postgres.getDatabase("postgres", "flowable"), START, 32)) {
            FlowableBaseline.Phase enter = flowable.enter(people, threads);
            System.out.printf("flowable enter: %,d process instances started and committed by %d threads, %,d transitions in %.2f s "
                    + "= %,.0f transitions/s%n", people, threads, enter.transitions(), enter.seconds(), enter.perSecond());
            FlowableBaseline.Phase drain = flowable.drain(people, START + 86_400_000L);
            System.out.printf("flowable drain: %,d timers due at one instant; every instance past branch and action (%,d actions) "
                    + "and its completion committed: %.2f s = %,.0f transitions/s%n", people, flowable.actions(), drain.seconds(),
                    drain.perSecond());
            System.out.printf("ratio (Siyu / Flowable): enter %.1f× transitions/s; drain until durable %.1f× faster "
                    + "(%.2f s vs %.2f s); load average after: %.2f%n", siyu.enterPerSecond() / enter.perSecond(),
                    drain.seconds() / siyu.drainSeconds(), siyu.drainSeconds(), drain.seconds(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Siyu's enter and drain figures. */
    private record Figures(long enterTransitions, double enterSeconds, long drainTransitions, double drainSeconds) {
        double enterPerSecond() {
            return enterTransitions / enterSeconds;
        }
    }

    private static Figures transitionsAndDrain(HikariDataSource dataSource, JsonMapper json, JourneyDefinition flow, int people) {
        JournalWriter writer = new JournalWriter(dataSource, json, () -> {});
        JourneyBook book = new JourneyBook(1, START);
        book.install(1, "bench", JourneyBook.Status.PUBLISHED, 1, Map.of(1, flow), START);
        Lens lens = new Lens(people);
        long t0 = System.nanoTime();
        for (int from = 0; from < people; from += 1_000) {
            Batch batch = new Batch();
            for (int p = from; p < Math.min(people, from + 1_000); p++) {
                book.enter(1, p, START, Map.of(), lens, batch);
            }
            writer.submit(batch);
        }
        writer.flush();
        double enterSeconds = (System.nanoTime() - t0) / 1e9;
        long entered = book.transitions();
        long enteredRows = writer.journalRows();
        System.out.printf("enter: %,d people, %,d transitions (%,d journal rows) in %.2f s = %,.0f transitions/s%n", people,
                entered, enteredRows, enterSeconds, entered / enterSeconds);

        long t1 = System.nanoTime();
        long actionsBefore = writer.actions();
        JournalWriter.Streaming parts = writer.new Streaming(); // as JourneyRuntime.advanceAll: parts written while stepping
        long fired = book.advance(START + 86_400_000L, lens, parts);
        long stepped = System.nanoTime();
        parts.finish().done.join();
        double drainSeconds = (System.nanoTime() - t1) / 1e9;
        long transitions = book.transitions() - entered;
        System.out.printf("drain: %,d timers due at one instant fired in %.2f s in memory (journal writing meanwhile); with %,d "
                        + "transitions, %,d journal rows and %,d outbox rows durable: %.2f s = %,.0f transitions/s%n", fired,
                (stepped - t1) / 1e9, transitions, writer.journalRows() - enteredRows, writer.actions() - actionsBefore, drainSeconds,
                transitions / drainSeconds);
        writer.close();
        return new Figures(entered, enterSeconds, transitions, drainSeconds);
    }

    private static JourneyBook benchBook(JourneyDefinition flow) {
        JourneyBook book = new JourneyBook(1, START);
        book.install(1, "bench", JourneyBook.Status.PUBLISHED, 1, Map.of(1, flow), START);
        return book;
    }

    private static void enterDurably(JournalWriter writer, JourneyBook book, Lens lens, int from, int to) {
        for (int start = from; start < to; start += 1_000) {
            Batch batch = new Batch();
            for (int p = start; p < Math.min(to, start + 1_000); p++) {
                book.enter(1, p, START + (p % 86_400) * 1_000L, Map.of(), lens, batch);
            }
            writer.submit(batch);
        }
        writer.flush();
    }

    private static void restart(HikariDataSource dataSource, JsonMapper json, JourneyDefinition flow, int people) throws Exception {
        System.out.printf("restart: %,d people; load average before: %.2f%n", people,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Lens lens = new Lens(people + people / 10);
        JourneyBook book = benchBook(flow);
        long snapshotAt;
        try (JournalWriter writer = new JournalWriter(dataSource, json, () -> {})) {
            long t0 = System.nanoTime();
            enterDurably(writer, book, lens, 0, people);
            System.out.printf("restart: %,d people entered and waiting, %,d journal rows, durable in %.2f s%n", people,
                    writer.journalRows(), (System.nanoTime() - t0) / 1e9);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
            JourneyBook whole = benchBook(flow);
            long t1 = System.nanoTime();
            JournalReader.Restored read = JournalReader.restore(dataSource, json, Map.of(1, whole), false);
            whole.rearm();
            double wholeSeconds = (System.nanoTime() - t1) / 1e9;
            check(whole, book);
            System.out.printf("restart from the whole journal: %,d rows → %,d people, %,d timers in %.2f s (%,.0f rows/s); "
                    + "load average %.2f%n", read.journalRows(), whole.activeEnrollments(), whole.pendingTimers(), wholeSeconds,
                    read.journalRows() / wholeSeconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            whole = null;
            usedAfterGc();

            long t2 = System.nanoTime();
            JournalWriter.Snapshot snapshot = JournalReader.encode(1, book, json);
            long encoded = System.nanoTime();
            writer.snapshot(snapshot);
            snapshotAt = snapshot.done().join();
            System.out.printf("snapshot: %,d people encoded in %.2f s (the partition's pause), durable in %.2f s more%n",
                    snapshot.people(), (encoded - t2) / 1e9, (System.nanoTime() - encoded) / 1e9);
            enterDurably(writer, book, lens, people, people + people / 10);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
        JourneyBook restored = benchBook(flow);
        long t3 = System.nanoTime();
        JournalReader.Restored read = JournalReader.restore(dataSource, json, Map.of(1, restored), true);
        restored.rearm();
        double seconds = (System.nanoTime() - t3) / 1e9;
        check(restored, book);
        System.out.printf("restart from the snapshot (%,d rows, to journal row %,d) and the %,d journal rows after it: %,d people, "
                + "%,d timers in %.2f s; load average %.2f%n", read.snapshotRows(), snapshotAt, read.journalRows(),
                restored.activeEnrollments(), restored.pendingTimers(), seconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The rebuilt book holds everybody the original does, at the same place. */
    private static void check(JourneyBook restored, JourneyBook original) {
        if (restored.activeEnrollments() != original.activeEnrollments() || restored.pendingTimers() != original.activeEnrollments()) {
            throw new IllegalStateException("restored " + restored.activeEnrollments() + " people, " + restored.pendingTimers()
                    + " timers; expected " + original.activeEnrollments());
        }
        for (int p = 0; p < original.activeEnrollments(); p += 9_973) {
            if (!java.util.Objects.equals(restored.position(1, p), original.position(1, p))) {
                throw new IllegalStateException("person " + p + " restored at " + restored.position(1, p) + ", was at "
                        + original.position(1, p));
            }
        }
    }

    private static void latency(HikariDataSource dataSource, JsonMapper json, JourneyDefinition flow, int events) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        Histogram journal = new Histogram(3_600_000_000L, 3);
        ActionProvider provider = new ActionProvider() {
            @Override
            public String type() {
                return "bench";
            }

            @Override
            public ActionOutcome perform(ActionRequest request) {
                Long t = sentAt.remove(request.actionId());
                if (t != null) {
                    histogram.recordValue((System.nanoTime() - t) / 1_000);
                }
                return new ActionOutcome.Done("ok", Map.of());
            }
        };
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("bench", provider));
        OutboxDispatcher dispatcher = new OutboxDispatcher(dataSource, JdbcClient.create(dataSource), json, Clock.systemUTC(),
                beans.getBeanProvider(ActionProvider.class), beans.getBeanProvider(SendPolicy.class),
                beans.getBeanProvider(Intake.class), beans.getBeanProvider(Engine.class), new SimpleMeterRegistry());
        dispatcher.start();
        JournalWriter writer = new JournalWriter(dataSource, json, dispatcher::wake);
        long now = System.currentTimeMillis();
        JourneyBook book = new JourneyBook(1, now);
        book.install(1, "bench-event", JourneyBook.Status.PUBLISHED, 1, Map.of(1, flow), now);
        // the first events load classes and wait for the JIT on every path (journal, dispatcher, provider): not measured
        int warmup = Integer.getInteger("warmup", 1_000);
        Lens lens = new Lens(events + warmup);
        int rate = Integer.getInteger("rate", 500);
        long begin = System.nanoTime();
        for (int p = -warmup; p < events; p++) {
            long due = begin + (p + warmup) * 1_000_000_000L / rate;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            Batch batch = new Batch();
            long t = System.nanoTime();
            book.onEvent("Signed Up", name -> null, Map.of(), p + warmup, System.currentTimeMillis(), lens, batch);
            if (p >= 0) {
                String id = batch.actions.getFirst().actionId();
                sentAt.put(id, t);
                batch.done.thenRun(() -> journal.recordValue((System.nanoTime() - t) / 1_000));
            }
            writer.submit(batch);
        }
        writer.flush();
        dispatcher.drain();
        System.out.printf("latency: %,d events at %d/s, event → provider call: p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                        + "event → journal durable: p50 %.1f ms, p99 %.1f ms%n", events, rate,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0, journal.getValueAtPercentile(50) / 1000.0, journal.getValueAtPercentile(99) / 1000.0);
        dispatcher.close();
        writer.close();
    }

    private static void memory(JourneyDefinition flow, int people) {
        JourneyBook book = new JourneyBook(1, START);
        book.install(1, "bench", JourneyBook.Status.PUBLISHED, 1, Map.of(1, flow), START);
        Lens lens = new Lens(1_000);
        JournalSink discard = new JournalSink() {
            @Override
            public void step(int tenant, Kind kind, int journey, int version, int person, int entry, int step, String node,
                    long at, long deadline, @Nullable String reason, @Nullable Map<String, String> vars) {}

            @Override
            public void action(int tenant, String actionId, int journey, int version, String node, int person, String type,
                    Map<String, String> parameters, Map<String, Object> context, long notBefore) {}
        };
        long before = usedAfterGc();
        for (int p = 0; p < people; p++) {
            book.enter(1, p, START + (p % 86_400) * 1_000L, Map.of(), lens, discard);
        }
        long after = usedAfterGc();
        System.out.printf("memory: %,d people waiting, %,d pending timers: %,.0f MB heap (%.0f bytes per person)%n", people,
                book.pendingTimers(), (after - before) / 1e6, (after - before) / (double) people);
        if (book.pendingTimers() != people) {
            throw new IllegalStateException("expected every person to wait");
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static HikariDataSource pool(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres.getPostgresDatabase());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static void schema(HikariDataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tenants (id int PRIMARY KEY)");
            for (String migration : List.of("V4__journeys.sql", "V14__journey_receipts.sql", "V16__journey_snapshots.sql",
                    "V19__journey_outbox_lean.sql", "V22__journey_outbox_action_id_bytes.sql", "V23__journey_journal_id_blocks.sql")) {
                try (InputStream in = JourneyBench.class.getResourceAsStream("/db/migration/" + migration)) {
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Synthetic people: every third a Shanghai customer with 0–5 orders; real condition evaluation. */
    private static final class Lens implements PersonLens {
        private final byte[] orders;
        private final Facts facts = new Facts();

        Lens(int people) {
            orders = new byte[people];
            for (int p = 0; p < people; p++) {
                orders[p] = (byte) (p * 7 % 6);
            }
        }

        private final class Facts implements PersonFacts {
            int person;

            @Override
            public @Nullable Object trait(String name) {
                return name.equals("city") ? (person % 3 == 0 ? "上海" : "杭州") : null;
            }

            @Override
            public double stat(Stat stat) {
                return stat == Stat.ORDER_COUNT ? orders[person % orders.length] : 0;
            }

            @Override
            public @Nullable Long timeStat(Stat stat) {
                return null;
            }

            @Override
            public long now() {
                return START;
            }

            @Override
            public int count(String event, List<PropertyFilter> where, Duration window) {
                return 0;
            }

            @Override
            public long sumFen(String event, List<PropertyFilter> where, Duration window) {
                return 0;
            }

            @Override
            public boolean hasTag(String tag) {
                return false;
            }

            @Override
            public boolean inSegment(String segment) {
                return false;
            }
        }

        @Override
        public boolean test(Condition condition, int person, long now) {
            facts.person = person;
            return ConditionEvaluator.evaluate(condition, facts);
        }

        @Override
        public ZoneId zone(int person) {
            return ZoneId.of("Asia/Shanghai");
        }

        @Override
        public @Nullable Object trait(int person, String name) {
            facts.person = person;
            return facts.trait(name);
        }

        @Override
        public Map<String, Object> context(int person, long now) {
            return Map.of("trait.city", person % 3 == 0 ? "上海" : "杭州");
        }

        @Override
        public void members(String segment, long now, IntConsumer each) {}

        @Override
        public void everybody(IntConsumer each) {}
    }

    private JourneyBench() {}
}
