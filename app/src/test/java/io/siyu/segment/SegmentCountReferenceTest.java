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
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionEvaluator;
import io.siyu.segment.condition.ConditionParser;
import io.siyu.segment.condition.PersonFacts;
import io.siyu.segment.condition.PropertyFilter;
import io.siyu.segment.condition.Stat;
import io.siyu.segment.condition.Value;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment counts from the engine (bitmaps, day counters, planner) agree exactly with a brute-force
 * evaluation over the raw generated events of the same people.
 */
class SegmentCountReferenceTest {

    private static final long DAY = 86_400_000L;
    /** 13:00 in China: events happen at noon, so day-granular windows and exact windows agree. */
    private static final Instant NOW = Instant.parse("2026-11-25T05:00:00Z");
    private static final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String[] EVENTS = {"Product Viewed", "Product Added", "Order Completed", "Logged In"};
    private static final String[] CATEGORIES = {"母婴", "美妆", "食品"};
    private static final String[] CITIES = {"上海", "杭州", "成都"};

    record RawEvent(String name, long at, @Nullable String category, long fen) {}

    record Person(Map<String, Object> traits, Set<String> tags, List<RawEvent> events) {}

    @Test
    void engineCountsAgreeWithBruteForceOverTheSameEvents(@TempDir Path snapshots) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            var dataSource = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("INSERT INTO tenants (id, slug, name) VALUES (1, 'ref', 'Reference')");
            }
            PostgresEventLog log = new PostgresEventLog(dataSource);
            Engine engine = new Engine(log, log, new SnapshotStore(snapshots), clock, Engine.Settings.defaults(),
                    EngineListener.NONE, List.of(new TagExtension(), new RfmExtension(), new SegmentExtension()));
            engine.start();
            try {
                Random random = new Random(7);
                List<Person> people = new ArrayList<>();
                List<Event> events = new ArrayList<>();
                for (int p = 0; p < 1000; p++) {
                    people.add(generate(random, p, events));
                }
                submit(engine, events);
                // the first round builds the columns; the second checks that events kept them current
                int checked = compare(engine, random, people, 120);
                events.clear();
                for (int p = 1000; p < 1500; p++) {
                    people.add(generate(random, p, events));
                }
                for (int i = 0; i < 300; i++) {
                    int p = random.nextInt(1000);
                    more(random, p, people.get(p), events);
                }
                submit(engine, events);
                checked += compare(engine, random, people, 130);
                // once more with every scan split across cores, as scans of a million candidates are
                long splitFrom = Columns.parallelFrom;
                Columns.parallelFrom = 1;
                try {
                    checked += compare(engine, random, people, 100);
                } finally {
                    Columns.parallelFrom = splitFrom;
                }
                assertThat(checked).as("conditions that split the population").isGreaterThan(100);
            } finally {
                engine.close();
            }
        }
    }

    private static void submit(Engine engine, List<Event> events) {
        for (int from = 0; from < events.size(); from += 2000) {
            engine.submit(events.subList(from, Math.min(events.size(), from + 2000))).join();
        }
    }

    /** Compares {@code rounds} random conditions; returns how many split the population. */
    private static int compare(Engine engine, Random random, List<Person> people, int rounds) {
        int checked = 0;
        for (int i = 0; i < rounds; i++) {
            Condition condition = ConditionParser.parse(randomCondition(random));
            long engineCount = engine.ask(1, state -> new SegmentCounter(state, NOW.toEpochMilli())
                    .members(condition).getLongCardinality());
            long reference = people.stream().filter(person -> ConditionEvaluator.evaluate(condition,
                    new BruteFacts(person))).count();
            assertThat(engineCount).as(condition.toText()).isEqualTo(reference);
            long counted = engine.ask(1, state -> new SegmentCounter(state, NOW.toEpochMilli()).count(condition));
            assertThat(counted).as("count of " + condition.toText()).isEqualTo(reference);
            checked += reference > 0 && reference < people.size() ? 1 : 0;
        }
        return checked;
    }

    /** Later behaviour of a known person: a new age or city, and a few more events. */
    private static void more(Random random, int p, Person person, List<Event> events) {
        Identifier id = new Identifier(IdentifierType.USER_ID, "u" + p);
        long noonToday = NOW.toEpochMilli() - 3_600_000L;
        if (random.nextBoolean()) {
            Traits traits = new Traits();
            long age = 18 + random.nextInt(50);
            traits.set("age", age);
            person.traits().put("age", age);
            if (random.nextBoolean()) {
                String city = CITIES[random.nextInt(CITIES.length)];
                traits.set("city", city);
                person.traits().put("city", city);
            }
            long at = noonToday - random.nextInt(10) * DAY;
            events.add(event(EventKind.IDENTIFY, "", at, id, traits, -1, List.of(), "{}"));
            person.events().add(new RawEvent("Identified", at, null, 0));
        }
        for (int e = 1 + random.nextInt(4); e > 0; e--) {
            String name = EVENTS[random.nextInt(EVENTS.length)];
            long at = noonToday - random.nextInt(80) * DAY;
            String category = name.startsWith("Product") || name.equals("Order Completed")
                    ? CATEGORIES[random.nextInt(CATEGORIES.length)] : null;
            long fen = name.equals("Order Completed") ? 100 * (1 + random.nextInt(2000)) : -1;
            events.add(event(EventKind.TRACK, name, at, id, new Traits(), fen, category == null ? List.of() : List.of(category), "{}"));
            person.events().add(new RawEvent(name, at, category, Math.max(0, fen)));
        }
    }

    private static Person generate(Random random, int p, List<Event> events) {
        Map<String, Object> traits = new HashMap<>();
        Set<String> tags = new HashSet<>();
        List<RawEvent> raw = new ArrayList<>();
        Identifier id = new Identifier(IdentifierType.USER_ID, "u" + p);
        Traits eventTraits = new Traits();
        if (random.nextInt(5) > 0) {
            long age = 18 + random.nextInt(50);
            traits.put("age", age);
            eventTraits.set("age", age);
        }
        if (random.nextBoolean()) {
            String city = CITIES[random.nextInt(CITIES.length)];
            traits.put("city", city);
            eventTraits.set("city", city);
        }
        long now = NOW.toEpochMilli();
        long noonToday = now - 3_600_000L;
        events.add(event(EventKind.IDENTIFY, "", noonToday - 90 * DAY, id, eventTraits, -1, List.of(), "{}"));
        raw.add(new RawEvent("Identified", noonToday - 90 * DAY, null, 0));
        int n = random.nextInt(12);
        for (int e = 0; e < n; e++) {
            String name = EVENTS[random.nextInt(EVENTS.length)];
            long at = noonToday - random.nextInt(80) * DAY;
            String category = name.startsWith("Product") || name.equals("Order Completed")
                    ? CATEGORIES[random.nextInt(CATEGORIES.length)] : null;
            long fen = name.equals("Order Completed") ? 100 * (1 + random.nextInt(2000)) : -1;
            events.add(event(EventKind.TRACK, name, at, id, new Traits(), fen, category == null ? List.of() : List.of(category), "{}"));
            raw.add(new RawEvent(name, at, category, Math.max(0, fen)));
        }
        if (random.nextInt(4) == 0) {
            events.add(event(EventKind.TRACK, "Tag Assigned", noonToday - 100 * DAY, id, new Traits(), -1, List.of(),
                    "{\"tag\":\"vip\"}"));
            raw.add(new RawEvent("Tag Assigned", noonToday - 100 * DAY, null, 0));
            tags.add("vip");
        }
        return new Person(traits, tags, raw);
    }

    private static Event event(EventKind kind, String name, long at, Identifier id, Traits traits, long fen,
            List<String> categories, String properties) {
        return new Event(1, 0, kind, name, at, at, "m-" + java.util.UUID.randomUUID(), List.of(id), traits, fen,
                fen >= 0 ? "o" : null, categories, "app", null, List.of(), properties.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static String randomCondition(Random random) {
        List<String> atoms = List.of(
                "age between " + (18 + random.nextInt(20)) + " and " + (35 + random.nextInt(30)),
                "age >= " + (18 + random.nextInt(50)),
                "city = \"" + CITIES[random.nextInt(3)] + "\"",
                "city is missing",
                "has_tag(\"vip\")",
                "order_count >= " + random.nextInt(4),
                "avg_order_value > " + random.nextInt(1500),
                "total_spend <= " + random.nextInt(5000),
                "count(\"" + EVENTS[random.nextInt(4)] + "\", " + (1 + random.nextInt(90)) + "d) >= " + random.nextInt(4),
                "count(\"Product Viewed\" where category = \"" + CATEGORIES[random.nextInt(3)] + "\", " + (1 + random.nextInt(60))
                        + "d) >= " + (1 + random.nextInt(2)),
                "sum(\"Order Completed\", " + (1 + random.nextInt(90)) + "d) >= " + random.nextInt(2000),
                "days_since(last_order) > " + random.nextInt(80),
                "days_since(last_seen) <= " + random.nextInt(80),
                "event_count > " + random.nextInt(10),
                "order_count = " + random.nextInt(3),
                "total_spend != " + 100 * random.nextInt(3),
                "count(\"" + EVENTS[random.nextInt(4)] + "\", " + (1 + random.nextInt(90)) + "d) between 1 and " + random.nextInt(3),
                "days_since(last_seen) between " + random.nextInt(30) + " and " + (30 + random.nextInt(60)),
                "last_order >= \"2026-" + (10 + random.nextInt(2)) + "-" + (10 + random.nextInt(18)) + "\"",
                "first_seen < \"2026-09-01T00:00:00Z\"",
                "avg_order_value between " + random.nextInt(500) + ".5 and " + (500 + random.nextInt(1000)) + ".25");
        String a = atoms.get(random.nextInt(atoms.size()));
        String b = atoms.get(random.nextInt(atoms.size()));
        String c = atoms.get(random.nextInt(atoms.size()));
        return switch (random.nextInt(5)) {
            case 0 -> a;
            case 1 -> a + " and " + b;
            case 2 -> a + " or not " + b;
            case 3 -> "(" + a + " or " + b + ") and not (" + c + ")";
            default -> "not " + a + " and " + b + " and " + c;
        };
    }

    /** Answers from the raw event list, by brute force and exact times. */
    private record BruteFacts(Person person) implements PersonFacts {

        @Override
        public @Nullable Object trait(String name) {
            return person.traits().get(name);
        }

        private List<RawEvent> orders() {
            return person.events().stream().filter(e -> e.name().equals("Order Completed")).toList();
        }

        @Override
        public double stat(Stat stat) {
            return switch (stat.source()) {
                case ORDER_COUNT -> orders().size();
                case TOTAL_SPEND -> orders().stream().mapToLong(RawEvent::fen).sum() / 100.0;
                case AVG_ORDER_VALUE -> orders().isEmpty() ? 0
                        : Math.round((double) orders().stream().mapToLong(RawEvent::fen).sum() / orders().size()) / 100.0;
                case EVENT_COUNT -> person.events().size();
                case REFUND_COUNT -> 0;
                default -> throw new IllegalArgumentException(stat.name());
            };
        }

        @Override
        public @Nullable Long timeStat(Stat stat) {
            return switch (stat.source()) {
                case LAST_SEEN -> person.events().stream().mapToLong(RawEvent::at).max().orElse(Long.MIN_VALUE);
                case FIRST_SEEN -> person.events().stream().mapToLong(RawEvent::at).min().orElse(Long.MIN_VALUE);
                case LAST_ORDER -> orders().isEmpty() ? null : orders().stream().mapToLong(RawEvent::at).max().getAsLong();
                default -> throw new IllegalArgumentException(stat.name());
            };
        }

        @Override
        public long now() {
            return NOW.toEpochMilli();
        }

        private List<RawEvent> window(String event, List<PropertyFilter> where, Duration window) {
            return person.events().stream().filter(e -> e.name().equals(event) && e.at() > now() - window.toMillis()
                    && e.at() <= now() && where.stream().allMatch(f -> f.value() instanceof Value.Text t
                    && t.value().equals(e.category()))).toList();
        }

        @Override
        public int count(String event, List<PropertyFilter> where, Duration window) {
            return window(event, where, window).size();
        }

        @Override
        public long sumFen(String event, List<PropertyFilter> where, Duration window) {
            return window(event, where, window).stream().mapToLong(RawEvent::fen).sum();
        }

        @Override
        public boolean hasTag(String tag) {
            return person.tags().contains(tag);
        }

        @Override
        public boolean inSegment(String segment) {
            return false;
        }
    }
}
