package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.EventLog;
import io.siyu.engine.IdentityRules;
import io.siyu.engine.SnapshotStore;
import io.siyu.engine.TenantState;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.identity.PersonId;
import io.siyu.identity.PersonIdList;
import io.siyu.profile.Traits;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionParser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Segment counts over N synthetic profiles with 200 tags, in process: builds the people through
 * the engine's apply path (an in-memory log, since durability is not what is measured here), then
 * times tag-only, compound and windowed conditions, and the listing of a million member ids.
 * With {@code --postgres} it loads the same people, tags and events into an embedded PostgreSQL
 * (people, person_tags, events; indexed as a SQL-based tool would) and times the same segments as
 * SQL, checking that both give the same counts.
 *
 * <p>{@code java -Xmx14g -cp … io.siyu.segment.SegmentBench [people] [repetitions] [--postgres]}
 */
public final class SegmentBench {

    private static final long DAY = 86_400_000L;
    private static final String[] CITIES = {"上海", "北京", "杭州", "成都", "广州", "深圳", "武汉", "南京"};
    private static final String[] CATEGORIES = {"母婴", "美妆", "服饰", "食品", "家居", "数码"};
    private static final String[] EVENTS = {"Product Viewed", "Product Added", "Order Completed", "Logged In"};
    private static final int TAGS = 200;
    /** CPU time of the partition thread, which the neighbours on a shared machine cannot inflate. */
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** One segment, as a condition and as the SQL a table-based tool would run. */
    record Query(String label, String condition, String sql) {}

    /** Durability is not under test: a log that keeps nothing. */
    private static final class NoLog implements EventLog, IdentityRules {
        @Override
        public void append(List<Event> events) {}

        @Override
        public long lastSeq() {
            return 0;
        }

        @Override
        public void replay(long afterSeq, int tenant, Consumer<Event> sink) {}

        @Override
        public List<Distinct> distinctFor(int tenant) {
            return List.of();
        }

        @Override
        public void addDistinct(int tenant, Distinct rule) {}
    }

    /** A generated person; {@code events} holds name index, day offset, category index and fen per event. */
    record Person(int index, long age, String city, String gender, long identifiedAt, int[] names, int[] daysAgo,
            int[] categories, long[] fen) {}

    /** The same people every time for the same seed, so the engine and PostgreSQL see identical data. */
    static void generate(int people, long now, Consumer<Person> sink) {
        SplittableRandom random = new SplittableRandom(1);
        for (int p = 0; p < people; p++) {
            long age = 18 + random.nextInt(50);
            String city = CITIES[random.nextInt(CITIES.length)];
            String gender = random.nextBoolean() ? "female" : "male";
            int n = 1 + random.nextInt(8);
            int[] names = new int[n];
            int[] daysAgo = new int[n];
            int[] categories = new int[n];
            long[] fen = new long[n];
            for (int e = 0; e < n; e++) {
                names[e] = random.nextInt(EVENTS.length);
                daysAgo[e] = random.nextInt(365);
                fen[e] = names[e] == 2 ? 100L * (10 + random.nextInt(3000)) : -1;
                categories[e] = random.nextInt(CATEGORIES.length);
            }
            sink.accept(new Person(p, age, city, gender, now - 200 * DAY, names, daysAgo, categories, fen));
        }
    }

    /** Tag t's members: a random density between 0.1 % and 30 %. */
    static int[][] tags(int people) {
        SplittableRandom r = new SplittableRandom(2);
        int[][] tags = new int[TAGS][];
        for (int t = 0; t < TAGS; t++) {
            double density = 0.001 + r.nextDouble() * 0.3;
            tags[t] = r.ints(0, people).limit((long) (people * density)).sorted().distinct().toArray();
        }
        return tags;
    }

    /** Untimed runs of each query before the timed ones. */
    private static final int WARM_UP = Integer.getInteger("warmup", 50);

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean postgres = List.of(args).contains("--postgres");
        Clock clock = Clock.systemUTC();
        long now = clock.millis();
        int today = TenantState.epochDayOf(now);

        NoLog log = new NoLog();
        Engine engine = new Engine(log, log, new SnapshotStore(Files.createTempDirectory("segbench")), clock,
                new Engine.Settings(1, 5_000, Integer.MAX_VALUE, 64), EngineListener.NONE,
                List.of(new TagExtension(), new RfmExtension(), new SegmentExtension()));
        engine.start();
        long started = System.nanoTime();
        long[] events = {0};
        List<Event> batch = new ArrayList<>(5_000);
        generate(people, now, person -> {
            Identifier id = new Identifier(IdentifierType.USER_ID, "u" + person.index());
            Traits traits = new Traits();
            traits.set("age", person.age());
            traits.set("city", person.city());
            traits.set("gender", person.gender());
            batch.add(event(EventKind.IDENTIFY, "", person.identifiedAt(), id, traits, -1, List.of(), -1));
            for (int e = 0; e < person.names().length; e++) {
                batch.add(event(EventKind.TRACK, EVENTS[person.names()[e]], now - person.daysAgo()[e] * DAY, id,
                        new Traits(), person.fen()[e], List.of(CATEGORIES[person.categories()[e]]), e));
            }
            if (batch.size() >= 5_000) {
                events[0] += batch.size();
                submit(engine, List.copyOf(batch));
                batch.clear();
            }
        });
        events[0] += batch.size();
        engine.submit(List.copyOf(batch)).join();
        System.out.printf("built %,d people from %,d events in %.1f s%n", people, events[0], (System.nanoTime() - started) / 1e9);

        int[][] tags = tags(people);
        engine.ask(1, state -> {
            TagBook book = state.part(TagExtension.ID, TagBook.class);
            for (int t = 0; t < TAGS; t++) {
                book.replaceTag("t" + t, RoaringBitmap.bitmapOf(tags[t]));
            }
            return null;
        });
        long tagMemberships = Arrays.stream(tags).mapToLong(t -> t.length).sum();
        System.out.printf("%d tags, %,d memberships%n", TAGS, tagMemberships);

        int orderCompleted = 2;
        List<Query> queries = List.of(
                new Query("tag-only, 10 predicates",
                        "has_tag(\"t1\") and has_tag(\"t2\") and not has_tag(\"t3\") or has_tag(\"t4\") and (has_tag(\"t5\") or has_tag(\"t6\")) and not has_tag(\"t7\") and has_tag(\"t8\") or has_tag(\"t9\") and has_tag(\"t10\")",
                        "SELECT count(*) FROM people p WHERE " + tag(1) + " AND " + tag(2) + " AND NOT " + tag(3)
                                + " OR " + tag(4) + " AND (" + tag(5) + " OR " + tag(6) + ") AND NOT " + tag(7) + " AND " + tag(8)
                                + " OR " + tag(9) + " AND " + tag(10)),
                new Query("tag and trait",
                        "has_tag(\"t11\") and age between 25 and 30",
                        "SELECT count(*) FROM people p WHERE " + tag(11) + " AND age BETWEEN 25 AND 30"),
                new Query("compound with a windowed count",
                        "age between 25 and 30 and count(\"Order Completed\", 365d) >= 3 and days_since(last_interaction) > 30",
                        "SELECT count(*) FROM people p WHERE age BETWEEN 25 AND 30 AND last_seen <= " + (now - 31 * DAY)
                                + " AND (SELECT count(*) FROM events e WHERE e.person = p.person AND e.name = " + orderCompleted
                                + " AND e.day BETWEEN " + (today - 364) + " AND " + today + ") >= 3"),
                new Query("category window and tag",
                        "has_tag(\"t12\") and count(\"Product Viewed\" where category = \"母婴\", 90d) >= 1",
                        "SELECT count(*) FROM people p WHERE " + tag(12) + " AND EXISTS (SELECT 1 FROM events e WHERE "
                                + "e.person = p.person AND e.name = 0 AND e.category = 0 AND e.day BETWEEN " + (today - 89)
                                + " AND " + today + ")"),
                new Query("traits and money",
                        "city in (\"上海\", \"杭州\") and avg_order_value > 1000",
                        "SELECT count(*) FROM people p WHERE city IN ('上海', '杭州') AND order_count > 0 AND "
                                + "round(total_fen::numeric / order_count) > 100000"));

        EmbeddedPostgres pg = null;
        if (postgres) {
            pg = loadPostgres(people, now, tags);
        }
        System.out.printf("%n| query | people | Siyu first (builds columns) | Siyu p50 | Siyu p99 | Siyu CPU p50 | Siyu CPU p99 "
                + "| PostgreSQL p50 | ratio (p50) |%n");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Query query : queries) {
            Condition condition = ConditionParser.parse(query.condition());
            long[] count = new long[1];
            long[] cpu = new long[1];
            LongSupplier run = () -> {
                long t0 = System.nanoTime();
                count[0] = engine.ask(1, state -> {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long n = new SegmentCounter(state, clock.millis()).count(condition);
                    cpu[0] = THREADS.getCurrentThreadCpuTime() - c0;
                    return n;
                });
                return System.nanoTime() - t0;
            };
            long first = run.getAsLong();
            for (int i = 0; i < WARM_UP; i++) { // until the JIT has compiled the query's path: a server's is hot
                run.getAsLong();
            }
            long[] nanos = new long[repetitions];
            long[] cpus = new long[repetitions];
            for (int i = 0; i < repetitions; i++) {
                nanos[i] = run.getAsLong();
                cpus[i] = cpu[0];
            }
            Arrays.sort(nanos);
            Arrays.sort(cpus);
            String sqlCell = "—";
            String ratio = "—";
            if (pg != null) {
                long[] sql = sql(pg, query.sql(), Math.max(3, repetitions / 20));
                if (sql[0] != count[0]) {
                    sqlCell = "count differs: " + sql[0];
                } else {
                    sqlCell = String.format("%.1f ms", sql[1] / 1e6);
                    ratio = String.format("%.0f×", (double) sql[1] / nanos[repetitions / 2]);
                }
            }
            System.out.printf("| %s | %,d | %.1f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %s | %s |%n", query.label(),
                    count[0], first / 1e6, nanos[repetitions / 2] / 1e6, nanos[(int) Math.ceil(repetitions * 0.99) - 1] / 1e6,
                    cpus[repetitions / 2] / 1e6, cpus[(int) Math.ceil(repetitions * 0.99) - 1] / 1e6, sqlCell, ratio);
        }

        listing(engine, tags, repetitions);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap used after GC (profiles, 200 tags, columns): %,d MB (%.0f bytes/profile)%n",
                (rt.totalMemory() - rt.freeMemory()) >> 20, (double) (rt.totalMemory() - rt.freeMemory()) / people);
        if (pg != null) {
            pg.close();
        }
        engine.close();
    }

    /** Submits, waiting while the engine is saturated (building is not what is measured). */
    private static void submit(Engine engine, List<Event> batch) {
        while (true) {
            try {
                engine.submit(batch);
                return;
            } catch (Engine.Overloaded e) {
                Thread.onSpinWait();
            }
        }
    }

    /** Lists the ids of the first million members of the largest tag and reads every one of them. */
    private static void listing(Engine engine, int[][] tags, int repetitions) {
        int largest = 0;
        for (int t = 1; t < TAGS; t++) {
            if (tags[t].length > tags[largest].length) {
                largest = t;
            }
        }
        String tag = "t" + largest;
        int wanted = Math.min(1_000_000, tags[largest].length);
        long[] nanos = new long[repetitions];
        long[] checksum = {0};
        for (int i = -5; i < repetitions; i++) {
            long t0 = System.nanoTime();
            PersonIdList ids = engine.ask(1, state -> SegmentMembers.list(state, tag, -1, wanted));
            long sum = 0;
            for (PersonId id : ids) { // every id minted and read, as a consumer of the list would
                sum += id.value().getLeastSignificantBits();
            }
            checksum[0] += sum + ids.size();
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("%nlisting %,d member ids of %s (%,d members): p50 %.1f ms, p99 %.1f ms (checksum %d)%n", wanted, tag,
                tags[largest].length, nanos[repetitions / 2] / 1e6, nanos[(int) Math.ceil(repetitions * 0.99) - 1] / 1e6,
                checksum[0] & 0xff);
    }

    private static String tag(int t) {
        return "EXISTS (SELECT 1 FROM person_tags x WHERE x.tag = " + t + " AND x.person = p.person)";
    }

    private static EmbeddedPostgres loadPostgres(int people, long now, int[][] tags) throws IOException {
        long started = System.nanoTime();
        Path directory = Files.createTempDirectory("segbench-pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("shared_buffers", "2GB")
                .setServerConfig("work_mem", "256MB")
                .setServerConfig("maintenance_work_mem", "1GB")
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("max_parallel_workers_per_gather", "2")
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE UNLOGGED TABLE people (person int PRIMARY KEY, age int, city text, gender text, "
                    + "first_seen bigint, last_seen bigint, order_count int, total_fen bigint)");
            s.execute("CREATE UNLOGGED TABLE person_tags (tag smallint, person int)");
            s.execute("CREATE UNLOGGED TABLE events (person int, name smallint, day int, category smallint, fen bigint)");
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            PGConnection copy = c.unwrap(PGConnection.class);
            try (Writer out = writer(copy, "COPY people FROM STDIN")) {
                generate(people, now, person -> {
                    long first = person.identifiedAt();
                    long last = person.identifiedAt();
                    int orders = 0;
                    long total = 0;
                    for (int e = 0; e < person.names().length; e++) {
                        long at = now - person.daysAgo()[e] * DAY;
                        first = Math.min(first, at);
                        last = Math.max(last, at);
                        if (person.fen()[e] >= 0) {
                            orders++;
                            total += person.fen()[e];
                        }
                    }
                    write(out, person.index() + "\t" + person.age() + "\t" + person.city() + "\t" + person.gender() + "\t"
                            + first + "\t" + last + "\t" + orders + "\t" + total + "\n");
                });
            }
            try (Writer out = writer(copy, "COPY events FROM STDIN")) {
                generate(people, now, person -> {
                    StringBuilder rows = new StringBuilder();
                    for (int e = 0; e < person.names().length; e++) {
                        rows.append(person.index()).append('\t').append(person.names()[e]).append('\t')
                                .append(TenantState.epochDayOf(now - person.daysAgo()[e] * DAY)).append('\t')
                                .append(person.categories()[e]).append('\t').append(person.fen()[e]).append('\n');
                    }
                    write(out, rows.toString());
                });
            }
            try (Writer out = writer(copy, "COPY person_tags FROM STDIN")) {
                for (int t = 0; t < tags.length; t++) {
                    StringBuilder rows = new StringBuilder();
                    for (int person : tags[t]) {
                        rows.append(t).append('\t').append(person).append('\n');
                        if (rows.length() > 1 << 16) {
                            write(out, rows.toString());
                            rows.setLength(0);
                        }
                    }
                    write(out, rows.toString());
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE person_tags ADD PRIMARY KEY (tag, person)");
                s.execute("CREATE INDEX ON events (person, name, day)");
                s.execute("CREATE INDEX ON people (age)");
                s.execute("CREATE INDEX ON people (city)");
                s.execute("VACUUM ANALYZE");
            }
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
        System.out.printf("PostgreSQL baseline loaded and indexed in %.0f s%n", (System.nanoTime() - started) / 1e9);
        return pg;
    }

    private static Writer writer(PGConnection connection, String sql) throws java.sql.SQLException {
        return new OutputStreamWriter(new PGCopyOutputStream(connection, sql, 1 << 20), StandardCharsets.UTF_8);
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The count and the median time of {@code repetitions} runs (after one warm-up run). */
    private static long[] sql(EmbeddedPostgres pg, String sql, int repetitions) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            long count = 0;
            long[] nanos = new long[repetitions];
            for (int i = -1; i < repetitions; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    count = rs.getLong(1);
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(nanos);
            return new long[] {count, nanos[repetitions / 2]};
        }
    }

    private static Event event(EventKind kind, String name, long at, Identifier id, Traits traits, long fen,
            List<String> categories, int n) {
        return new Event(1, 0, kind, name, at, at, id.value() + "-" + n,
                List.of(id), traits, fen, null, categories, "app", null, List.of(), "{}".getBytes(StandardCharsets.UTF_8),
                new byte[0]);
    }
}
