package io.siyu.segment;

import io.siyu.engine.Engine;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.flywaydb.core.Flyway;

/**
 * How long after an event its rule tags are current, while events arrive at a fixed rate: the
 * real durable log (group commit on an embedded PostgreSQL), the engine's apply path and 24 rule
 * tags (windowed counts, category counts, money, a lifecycle group) evaluated on every event.
 * Every 50th event is sampled; its latency runs from the moment it was handed to the engine to
 * the moment the engine had applied it and re-evaluated the tags it can change (the engine's
 * listener runs after the tag and segment extensions).
 *
 * <p>{@code java -Xmx4g -cp … io.siyu.segment.TagLatencyBench [events/s] [seconds] [people]}
 */
public final class TagLatencyBench {

    private static final String[] CATEGORIES = {"母婴", "美妆", "服饰", "食品", "家居", "数码"};
    private static final String[] EVENTS = {"Product Viewed", "Product Viewed", "Product Added", "Order Completed", "Logged In"};
    private static final int SAMPLE_EVERY = 50;
    private static final int BATCH = 250;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int people = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        Path data = Files.createTempDirectory("taglatency");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg"))
                .setCleanDataDirectory(true).setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("shared_buffers", "512MB").setServerConfig("max_wal_size", "4GB")
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start()) {
            var dataSource = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("INSERT INTO tenants (id, slug, name) VALUES (1, 'bench', 'Bench')");
            }
            ConcurrentHashMap<String, Long> sent = new ConcurrentHashMap<>();
            Histogram latency = new Histogram(3_600_000_000_000L, 3); // up to an hour: a backlog must show, not throw
            AtomicLong applied = new AtomicLong();
            PostgresEventLog log = new PostgresEventLog(dataSource);
            Engine engine = new Engine(log, log, new SnapshotStore(data.resolve("snapshots")), Clock.systemUTC(),
                    new Engine.Settings(1, 5_000, 2_000_000, 1 << 16), (state, event, person) -> {
                        applied.incrementAndGet();
                        if (event.messageId().charAt(0) == 's') {
                            Long at = sent.remove(event.messageId());
                            if (at != null) {
                                synchronized (latency) {
                                    latency.recordValue(System.nanoTime() - at);
                                }
                            }
                        }
                    }, List.of(new TagExtension(), new RfmExtension(), new SegmentExtension()));
            engine.start();
            int rules = defineRuleTags(engine);

            SplittableRandom random = new SplittableRandom(3);
            long interval = 1_000_000_000L * BATCH / rate;
            long total = (long) rate * seconds;
            long warmup = (long) rate * Math.min(10, seconds / 3);
            long start = System.nanoTime();
            long overloaded = 0;
            long n = 0;
            for (long b = 0; n < total; b++) {
                long due = start + b * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (n == warmup) {
                    synchronized (latency) {
                        latency.reset();
                    }
                }
                List<Event> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++, n++) {
                    boolean sample = n % SAMPLE_EVERY == 0;
                    String id = (sample ? "s" : "e") + n;
                    batch.add(event(random, people, id));
                    if (sample) {
                        sent.put(id, System.nanoTime());
                    }
                }
                try {
                    engine.submit(batch);
                } catch (Engine.Overloaded e) {
                    overloaded += BATCH;
                }
            }
            long offered = System.nanoTime() - start;
            while (engine.lag() > 0 || applied.get() + overloaded < total) {
                Thread.sleep(10);
            }
            long drained = System.nanoTime() - start;
            long tagged = engine.ask(1, state -> state.part(TagExtension.ID, TagBook.class).counts().stream()
                    .mapToLong(TagBook.TagCount::people).sum());
            System.out.printf("%d rule tags over %,d people; offered %,d events at %,d/s in %.1f s, all applied after %.1f s "
                    + "(%,.0f events/s), %,d refused as overloaded, %,d tag memberships at the end%n", rules, people,
                    total, rate, offered / 1e9, drained / 1e9, total * 1e9 / drained, overloaded, tagged);
            System.out.printf("event handed to the engine → durable → applied with its tags re-evaluated (%,d samples after "
                    + "warm-up): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n", latency.getTotalCount(),
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6);
            engine.close();
        }
    }

    private static int defineRuleTags(Engine engine) {
        List<Definition> definitions = new ArrayList<>();
        definitions.add(rule("复购客户", "count(\"Order Completed\", 30d) >= 3", null));
        definitions.add(rule("高消费", "total_spend > 2000", null));
        definitions.add(rule("高客单", "avg_order_value > 500", null));
        definitions.add(rule("活跃浏览", "count(\"Product Viewed\", 7d) >= 5", null));
        definitions.add(rule("加购未买", "count(\"Product Added\", 7d) >= 1 and count(\"Order Completed\", 7d) = 0", null));
        for (String category : CATEGORIES) {
            definitions.add(rule("偏好-" + category, "count(\"Product Viewed\" where category = \"" + category + "\", 30d) >= 2", null));
            definitions.add(rule("购买-" + category, "count(\"Order Completed\" where category = \"" + category + "\", 90d) >= 1", null));
        }
        definitions.add(rule("新客", "days_since(first_seen) <= 7", "lifecycle"));
        definitions.add(rule("活跃", "days_since(first_seen) > 7 and days_since(last_interaction) <= 30", "lifecycle"));
        definitions.add(rule("沉睡", "days_since(last_interaction) > 30 and days_since(last_interaction) <= 90", "lifecycle"));
        definitions.add(rule("流失", "days_since(last_interaction) > 90", "lifecycle"));
        definitions.add(rule("频繁登录", "count(\"Logged In\", 7d) >= 3", null));
        definitions.add(rule("多次下单", "order_count >= 5", null));
        definitions.add(rule("大额单", "sum(\"Order Completed\", 30d) >= 1000", null));
        engine.ask(1, state -> {
            SegmentBook book = state.part(SegmentExtension.ID, SegmentBook.class);
            for (Definition definition : definitions) {
                book.define(state, definition, System.currentTimeMillis());
            }
            return null;
        });
        return definitions.size();
    }

    private static Definition rule(String name, String condition, String group) {
        return Definition.of(name, Definition.Kind.TAG, ConditionParser.parse(condition), group);
    }

    private static Event event(SplittableRandom random, int people, String messageId) {
        long now = System.currentTimeMillis();
        String name = EVENTS[random.nextInt(EVENTS.length)];
        long fen = name.equals("Order Completed") ? 100L * (10 + random.nextInt(800)) : -1;
        Identifier id = new Identifier(IdentifierType.USER_ID, "u" + random.nextInt(people));
        return new Event(1, 0, EventKind.TRACK, name, now, now, messageId, List.of(id), new Traits(), fen,
                fen >= 0 ? "o" + messageId : null, List.of(CATEGORIES[random.nextInt(CATEGORIES.length)]), "app", null,
                List.of(), "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
