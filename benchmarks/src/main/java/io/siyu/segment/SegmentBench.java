package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.engine.EngineListener;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.EventLog;
import io.siyu.engine.IdentityRules;
import io.siyu.engine.SnapshotStore;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Traits;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Segment counts over N synthetic profiles with 200 tags, in process: builds the people through
 * the engine's apply path (an in-memory log, since durability is not what is measured here), then
 * times tag-only, compound and windowed conditions (p50/p99 over repeated runs).
 *
 * <p>{@code java -Xmx16g -cp … io.siyu.segment.SegmentBench [people] [repetitions]}
 */
public final class SegmentBench {

    private static final String[] CITIES = {"上海", "北京", "杭州", "成都", "广州", "深圳", "武汉", "南京"};
    private static final String[] CATEGORIES = {"母婴", "美妆", "服饰", "食品", "家居", "数码"};
    private static final String[] EVENTS = {"Product Viewed", "Product Added", "Order Completed", "Logged In"};

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

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Clock clock = Clock.systemUTC();
        NoLog log = new NoLog();
        Engine engine = new Engine(log, log, new SnapshotStore(Files.createTempDirectory("segbench")), clock,
                new Engine.Settings(1, 5_000, Integer.MAX_VALUE, 64), EngineListener.NONE,
                List.of(new TagExtension(), new RfmExtension(), new SegmentExtension()));
        engine.start();
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(1);
        long now = clock.millis();
        List<Event> batch = new ArrayList<>(5_000);
        long events = 0;
        for (int p = 0; p < people; p++) {
            Identifier id = new Identifier(IdentifierType.USER_ID, "u" + p);
            Traits traits = new Traits();
            traits.set("age", (long) (18 + random.nextInt(50)));
            traits.set("city", CITIES[random.nextInt(CITIES.length)]);
            traits.set("gender", random.nextBoolean() ? "female" : "male");
            batch.add(event(EventKind.IDENTIFY, "", now - 200 * 86_400_000L, id, traits, -1, List.of()));
            int n = 1 + random.nextInt(8);
            for (int e = 0; e < n; e++) {
                String name = EVENTS[random.nextInt(EVENTS.length)];
                batch.add(event(EventKind.TRACK, name, now - random.nextInt(365) * 86_400_000L, id, new Traits(),
                        name.equals("Order Completed") ? 100L * (10 + random.nextInt(3000)) : -1,
                        List.of(CATEGORIES[random.nextInt(CATEGORIES.length)])));
            }
            if (batch.size() >= 5_000) {
                events += batch.size();
                engine.submit(batch);
                batch = new ArrayList<>(5_000);
            }
        }
        events += batch.size();
        engine.submit(batch).join();
        System.out.printf("built %,d people from %,d events in %.1f s%n", people, events, (System.nanoTime() - started) / 1e9);

        engine.ask(1, state -> {
            TagBook tags = state.part(TagExtension.ID, TagBook.class);
            SplittableRandom r = new SplittableRandom(2);
            for (int t = 0; t < 200; t++) {
                double density = 0.001 + r.nextDouble() * 0.3;
                int[] members = r.ints(0, people).limit((long) (people * density)).sorted().distinct().toArray();
                tags.replaceTag("t" + t, RoaringBitmap.bitmapOf(members));
            }
            return null;
        });
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap used after GC: %,d MB (%.0f bytes/profile incl. 200 tags)%n",
                (rt.totalMemory() - rt.freeMemory()) >> 20, (double) (rt.totalMemory() - rt.freeMemory()) / people);

        String[] queries = {
            "has_tag(\"t1\") and has_tag(\"t2\") and not has_tag(\"t3\") or has_tag(\"t4\") and (has_tag(\"t5\") or has_tag(\"t6\")) and not has_tag(\"t7\") and has_tag(\"t8\") or has_tag(\"t9\") and has_tag(\"t10\")",
            "has_tag(\"t11\") and age between 25 and 30",
            "age between 25 and 30 and count(\"Order Completed\", 365d) >= 3 and days_since(last_interaction) > 30",
            "city in (\"上海\", \"杭州\") and avg_order_value > 1000",
        };
        for (String text : queries) {
            Condition condition = ConditionParser.parse(text);
            long[] nanos = new long[repetitions];
            long count = 0;
            for (int i = 0; i < repetitions; i++) {
                long t0 = System.nanoTime();
                count = engine.ask(1, state -> new SegmentCounter(state, clock.millis()).members(condition).getLongCardinality());
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("%-40.40s count=%,d p50=%.1f ms p99=%.1f ms%n", text, count,
                    nanos[repetitions / 2] / 1e6, nanos[(int) Math.ceil(repetitions * 0.99) - 1] / 1e6);
        }
        engine.close();
    }

    private static Event event(EventKind kind, String name, long at, Identifier id, Traits traits, long fen,
            List<String> categories) {
        return new Event(1, 0, kind, name, at, at, Long.toHexString(at) + id.value() + name.hashCode() + fen,
                List.of(id), traits, fen, null, categories, "app", null, List.of(), "{}".getBytes(StandardCharsets.UTF_8),
                new byte[0]);
    }
}
