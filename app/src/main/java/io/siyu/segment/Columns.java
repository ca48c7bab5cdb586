package io.siyu.segment;

import io.siyu.engine.Event;
import io.siyu.engine.TenantState;
import io.siyu.profile.FacetCounters;
import io.siyu.profile.Profile;
import io.siyu.profile.Traits;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionEvaluator;
import io.siyu.segment.condition.Operand;
import io.siyu.segment.condition.PersonFacts;
import io.siyu.segment.condition.PropertyFilter;
import io.siyu.segment.condition.Stat;
import io.siyu.segment.condition.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * Columnar copies of what bulk evaluation reads, one array per trait, stat and windowed count
 * that a condition has asked for, indexed by person: a scan over millions then reads one array
 * in order instead of chasing every profile object.
 *
 * <p>A column is built on first use (one pass over the profiles), then kept current by every
 * event on the partition thread; windowed counts are rebuilt when the day rolls over. The least
 * recently used column goes when there are more than {@link #MAX_COLUMNS}. Columns are derived
 * from the profiles, so snapshots carry none of them.
 *
 * <p>Results are exactly the evaluator's: a predicate on one operand is a function of that
 * operand's value alone, so a scan evaluates it with {@link ConditionEvaluator} once per distinct
 * value (a trait's dictionary id, a count, a time) and then only looks the answer up per person.
 */
final class Columns {

    static final int MAX_COLUMNS = 48;
    /** A trait with more distinct values than this is evaluated profile by profile instead. */
    static final int MAX_DISTINCT = 1 << 16;
    /** A trait with at most this many distinct values also keeps a bitmap per value. */
    static final int INDEXED_DISTINCT = 1024;
    private static final long DAY_MS = 86_400_000L;
    /** A time stat that never happened. */
    private static final long MISSING = Long.MIN_VALUE;
    private static final int BATCH = 1024;

    private final LinkedHashMap<Object, Column> columns = new LinkedHashMap<>(16, 0.75f, true);
    /** People folded into by a merge since the last scan: their columns are refreshed before the next one. */
    private final RoaringBitmap stale = new RoaringBitmap();

    void applied(TenantState state, Event event, int person) {
        if (columns.isEmpty()) {
            return;
        }
        Profile profile = state.profile(person);
        for (Column column : columns.values()) {
            if (column.affectedBy(event)) {
                column.refresh(state, person, profile);
            }
        }
    }

    void merged(int into) {
        if (!columns.isEmpty()) {
            stale.add(into);
        }
    }

    /** Rebuilds the windowed columns when the day has changed, so the first count of a day is fast too. */
    void roll(TenantState state, long now) {
        int today = TenantState.epochDayOf(now);
        for (Column column : columns.values()) {
            if (column instanceof WindowColumn window && window.day != today) {
                window.rebuild(state, today);
            }
        }
    }

    int size() {
        return columns.size();
    }

    /**
     * A scan for a predicate on a single operand, or null when this predicate is not one (tags,
     * and/or/not) or its operand is better read from the profiles (a trait with too many values).
     */
    @Nullable Scan compile(TenantState state, Condition leaf, long now) {
        Operand operand = operandOf(leaf);
        if (operand == null) {
            return null;
        }
        settle(state);
        return switch (operand) {
            case Operand.Trait trait -> traitScan(state, leaf, trait.name(), now);
            case Operand.DaysSince since when since.of() instanceof Operand.Trait trait ->
                    traitScan(state, leaf, trait.name(), now);
            case Operand.DaysSince since -> {
                Stat stat = ((Operand.StatRef) since.of()).stat().source();
                yield new LongScan(leaf, stat(state, stat).values, now, ValueKind.DAYS_SINCE);
            }
            case Operand.StatRef ref when ref.stat().isTime() ->
                    new LongScan(leaf, stat(state, ref.stat().source()).values, now, ValueKind.TIME);
            case Operand.StatRef ref -> new LongScan(leaf, stat(state, ref.stat().source()).values, now,
                    moneyStat(ref.stat()) ? ValueKind.YUAN_FROM_FEN : ValueKind.NUMBER);
            case Operand.Count count -> windowScan(state, leaf, count.event(), count.where(), count.window().toDuration(), false, now);
            case Operand.Sum sum -> sum.where().isEmpty()
                    ? windowScan(state, leaf, sum.event(), List.of(), sum.window().toDuration(), true, now) : null;
        };
    }

    private static @Nullable Operand operandOf(Condition leaf) {
        return switch (leaf) {
            case Condition.Comparison c -> c.left();
            case Condition.Between b -> b.operand();
            case Condition.In in -> in.operand();
            case Condition.IsMissing m -> m.operand();
            case Condition.IsPresent p -> p.operand();
            default -> null;
        };
    }

    private static boolean moneyStat(Stat stat) {
        return stat == Stat.TOTAL_SPEND || stat == Stat.AVG_ORDER_VALUE;
    }

    private void settle(TenantState state) {
        if (stale.isEmpty()) {
            return;
        }
        stale.forEach((int person) -> {
            Profile profile = state.profile(person);
            for (Column column : columns.values()) {
                column.refresh(state, person, profile);
            }
        });
        stale.clear();
    }

    private @Nullable Scan traitScan(TenantState state, Condition leaf, String name, long now) {
        TraitColumn column = (TraitColumn) column(state, "trait:" + name, () -> new TraitColumn(name));
        return column.overflowed ? null : new TraitScan(leaf, column, now);
    }

    private StatColumn stat(TenantState state, Stat stat) {
        return (StatColumn) column(state, stat, () -> new StatColumn(stat));
    }

    private @Nullable Scan windowScan(TenantState state, Condition leaf, String event, List<PropertyFilter> where,
            Duration window, boolean money, long now) {
        int eventId = state.eventNames().find(event);
        int categoryId = -1;
        if (!where.isEmpty()) {
            if (!ProfileFacts.supports(where)) {
                return null;
            }
            categoryId = where.getFirst().value() instanceof Value.Text text ? state.categoryNames().find(text.value()) : -1;
            if (eventId >= 0 && categoryId >= 0 && !FacetCounters.fits(eventId, categoryId)) {
                return null; // the profile path reports why
            }
        }
        int days = (int) Math.max(1, (window.toMillis() + DAY_MS - 1) / DAY_MS);
        if (eventId < 0 || !where.isEmpty() && categoryId < 0) {
            return new Constant(ConditionEvaluator.evaluate(leaf, OneValue.number(0, money, now)));
        }
        int today = TenantState.epochDayOf(now);
        String key = "window:" + eventId + ":" + categoryId + ":" + days + ":" + money;
        int category = categoryId;
        WindowColumn column = (WindowColumn) column(state, key, () -> new WindowColumn(event, eventId, category, days, money, today));
        if (column.day != today) {
            column.rebuild(state, today);
        }
        return new LongScan(leaf, column.values, now, money ? ValueKind.SUM_FEN : ValueKind.COUNT);
    }

    private Column column(TenantState state, Object key, java.util.function.Supplier<Column> create) {
        Column column = columns.get(key);
        if (column == null) {
            column = create.get();
            column.build(state);
            columns.put(key, column);
            if (columns.size() > MAX_COLUMNS) {
                Iterator<Column> eldest = columns.values().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        return column;
    }

    // ---------------------------------------------------------------- columns

    private abstract static class Column {

        abstract boolean affectedBy(Event event);

        abstract void refresh(TenantState state, int person, @Nullable Profile profile);

        abstract void ensure(int people);

        void build(TenantState state) {
            int people = state.graph().size();
            ensure(people);
            for (int p = 0; p < people; p++) {
                refresh(state, p, state.profile(p));
            }
        }

        static int grown(int length, int needed) {
            return Math.max(needed, length + (length >> 1) + 16);
        }
    }

    /** Dictionary ids of one trait's values; id 0 is missing. */
    private static final class TraitColumn extends Column {
        final String name;
        int[] ids = new int[0];
        final List<@Nullable Object> values = new ArrayList<>();
        final Map<Object, Integer> idOf = new HashMap<>();
        /**
         * Who holds each value id (index 0, missing, is kept empty) while the trait has at most
         * {@link #INDEXED_DISTINCT} values, so that a predicate over everybody is a union of a few
         * bitmaps instead of a scan; null once it has more.
         */
        @Nullable List<RoaringBitmap> holders = new ArrayList<>();
        boolean overflowed;

        TraitColumn(String name) {
            this.name = name;
            values.add(null);
            holders.add(new RoaringBitmap());
        }

        @Override
        boolean affectedBy(Event event) {
            return !overflowed && !event.traits().isEmpty();
        }

        @Override
        void ensure(int people) {
            if (people > ids.length) {
                ids = Arrays.copyOf(ids, grown(ids.length, people));
            }
        }

        @Override
        void refresh(TenantState state, int person, @Nullable Profile profile) {
            Object value = profile == null ? null : profile.traits().get(name);
            if (value instanceof Traits.Json) {
                value = null; // as ProfileFacts: structured values are not comparable
            }
            int id = 0;
            if (value != null) {
                Integer known = idOf.get(value);
                if (known == null) {
                    if (values.size() >= MAX_DISTINCT) {
                        overflowed = true;
                        ids = new int[0];
                        holders = null;
                        return;
                    }
                    known = values.size();
                    values.add(value);
                    idOf.put(value, known);
                    if (values.size() > INDEXED_DISTINCT) {
                        holders = null;
                    } else if (holders != null) {
                        holders.add(new RoaringBitmap());
                    }
                }
                id = known;
            }
            ensure(person + 1);
            int old = ids[person];
            ids[person] = id;
            if (holders != null && old != id) {
                if (old != 0) {
                    holders.get(old).remove(person);
                }
                if (id != 0) {
                    holders.get(id).add(person);
                }
            }
        }
    }

    /** One stat per person: counts, money in fen, or times in epoch ms ({@link #MISSING} when none). */
    private static final class StatColumn extends Column {
        final Stat stat;
        long[] values = new long[0];

        StatColumn(Stat stat) {
            this.stat = stat;
        }

        @Override
        boolean affectedBy(Event event) {
            return true;
        }

        @Override
        void ensure(int people) {
            if (people > values.length) {
                int from = values.length;
                values = Arrays.copyOf(values, grown(values.length, people));
                if (stat.isTime()) {
                    Arrays.fill(values, from, values.length, MISSING);
                }
            }
        }

        @Override
        void refresh(TenantState state, int person, @Nullable Profile profile) {
            ensure(person + 1);
            values[person] = profile == null ? (stat.isTime() ? MISSING : 0) : switch (stat) {
                case ORDER_COUNT -> profile.orderCount();
                case TOTAL_SPEND -> profile.totalSpendFen();
                case AVG_ORDER_VALUE -> profile.averageOrderFen();
                case EVENT_COUNT -> profile.eventCount();
                case REFUND_COUNT -> profile.refundCount();
                case FIRST_SEEN -> time(profile.firstSeen());
                case LAST_SEEN, LAST_INTERACTION -> time(profile.lastSeen());
                case LAST_ORDER -> time(profile.lastOrderAt());
            };
        }

        private static long time(long t) {
            return t == Long.MAX_VALUE || t == Long.MIN_VALUE ? MISSING : t;
        }
    }

    /** How many of one event (in one category), or its money in fen, over the {@code days} up to {@code day}. */
    private static final class WindowColumn extends Column {
        final String event;
        final int eventId;
        final int categoryId;
        final int days;
        final boolean money;
        int day;
        long[] values = new long[0];

        WindowColumn(String event, int eventId, int categoryId, int days, boolean money, int day) {
            this.event = event;
            this.eventId = eventId;
            this.categoryId = categoryId;
            this.days = days;
            this.money = money;
            this.day = day;
        }

        @Override
        boolean affectedBy(Event e) {
            return e.name().equals(event);
        }

        @Override
        void ensure(int people) {
            if (people > values.length) {
                values = Arrays.copyOf(values, grown(values.length, people));
            }
        }

        void rebuild(TenantState state, int today) {
            day = today;
            build(state);
        }

        @Override
        void refresh(TenantState state, int person, @Nullable Profile profile) {
            ensure(person + 1);
            int from = day - days + 1;
            values[person] = profile == null ? 0
                    : money ? profile.amountFen(eventId, from, day)
                    : categoryId >= 0 ? profile.countInCategory(eventId, categoryId, from, day)
                    : profile.daily().sum(eventId, from, day);
        }
    }

    // ---------------------------------------------------------------- scans

    /** Filters candidates by one predicate. */
    /** Candidates from which a long-column scan is split across cores; tests lower it to split small data. */
    static volatile long parallelFrom = 1L << 20;

    /**
     * A writer that collects each 65,536-person chunk in one reused bitmap and converts it when the
     * chunk is done. The default writer grows an array per chunk from 16 values, and copying those
     * arrays was most of a scan's time.
     */
    private static RoaringBitmapWriter<RoaringBitmap> writer() {
        return RoaringBitmapWriter.writer().constantMemory().get();
    }

    abstract static sealed class Scan permits TraitScan, LongScan, Constant {

        abstract RoaringBitmap filter(RoaringBitmap candidates);
    }

    private static final class Constant extends Scan {
        private final boolean holds;

        Constant(boolean holds) {
            this.holds = holds;
        }

        @Override
        RoaringBitmap filter(RoaringBitmap candidates) {
            return holds ? candidates.clone() : new RoaringBitmap();
        }
    }

    private static final class TraitScan extends Scan {
        private final Condition leaf;
        private final TraitColumn column;
        private final long now;
        /** Per dictionary id: 0 not yet evaluated, 1 false, 2 true. */
        private byte[] answers;

        TraitScan(Condition leaf, TraitColumn column, long now) {
            this.leaf = leaf;
            this.column = column;
            this.now = now;
            this.answers = new byte[column.values.size()];
        }

        @Override
        RoaringBitmap filter(RoaringBitmap candidates) {
            List<RoaringBitmap> holders = column.holders;
            if (holders != null && candidates.getLongCardinality() * 16 > column.ids.length) {
                return union(holders, candidates);
            }
            int[] ids = column.ids;
            byte[] answers = this.answers;
            RoaringBitmapWriter<RoaringBitmap> out = writer();
            int[] batch = new int[BATCH];
            BatchIterator it = candidates.getBatchIterator();
            while (it.hasNext()) {
                int n = it.nextBatch(batch);
                for (int i = 0; i < n; i++) {
                    int p = batch[i];
                    int id = p < ids.length ? ids[p] : 0;
                    byte answer = answers[id];
                    if (answer == 0) {
                        answer = evaluate(id);
                    }
                    if (answer == 2) {
                        out.add(p);
                    }
                }
            }
            return out.get();
        }

        /** The holders of every value the predicate accepts (and those with none, if it accepts missing). */
        private RoaringBitmap union(List<RoaringBitmap> holders, RoaringBitmap candidates) {
            List<RoaringBitmap> accepted = new ArrayList<>();
            for (int id = 1; id < holders.size(); id++) {
                if ((answers[id] == 0 ? evaluate(id) : answers[id]) == 2) {
                    accepted.add(holders.get(id));
                }
            }
            RoaringBitmap result = FastAggregation.or(accepted.iterator());
            if ((answers[0] == 0 ? evaluate(0) : answers[0]) == 2) {
                result.or(RoaringBitmap.andNot(candidates, FastAggregation.or(holders.iterator())));
            }
            result.and(candidates);
            return result;
        }

        private byte evaluate(int id) {
            byte answer = ConditionEvaluator.evaluate(leaf, OneValue.trait(column.values.get(id), now)) ? (byte) 2 : 1;
            answers[id] = answer;
            return answer;
        }
    }

    /** How a long column's value reaches the evaluator. */
    private enum ValueKind { NUMBER, YUAN_FROM_FEN, TIME, DAYS_SINCE, COUNT, SUM_FEN }

    /**
     * A predicate on a long column. Ordered comparisons and {@code between} hold on one interval of
     * values, because every value kind reaches the evaluator through an order-preserving mapping
     * (count → decimal, fen → yuan, days, epoch ms → time); the interval's ends are found by
     * binary search with the evaluator itself, so a scan is two comparisons per person. Other
     * predicates, and values beyond the searched domain, are answered by a cache of evaluations.
     */
    private static final class LongScan extends Scan {
        private static final int SLOTS = 4096;
        private final Condition leaf;
        private final long[] values;
        private final long now;
        private final ValueKind kind;
        /** The values the interval search covers, each exactly representable in the kind's evaluator input. */
        private final long domain;
        /** Where the predicate holds within the domain, or null when it is not an interval predicate. */
        private final long @Nullable [] interval;
        /** A direct-mapped cache of answers by value: the evaluator runs once per distinct value seen. */
        private final long[] keys = new long[SLOTS];
        private final byte[] answers = new byte[SLOTS];

        LongScan(Condition leaf, long[] values, long now, ValueKind kind) {
            this.leaf = leaf;
            this.values = values;
            this.now = now;
            this.kind = kind;
            this.domain = switch (kind) {
                case COUNT -> Integer.MAX_VALUE; // counts reach the evaluator as ints
                case DAYS_SINCE -> 1L << 30;
                default -> 1L << 50;
            };
            this.interval = interval(leaf);
        }

        private long @Nullable [] interval(Condition leaf) {
            return switch (leaf) {
                case Condition.Comparison c -> switch (c.op()) {
                    case GT, GE -> new long[] {firstTrue(c), domain};
                    case LT, LE -> new long[] {-domain, lastTrue(c)};
                    case EQ -> new long[] {firstTrue(new Condition.Comparison(c.left(), io.siyu.segment.condition.Op.GE, c.right())),
                            lastTrue(new Condition.Comparison(c.left(), io.siyu.segment.condition.Op.LE, c.right()))};
                    default -> null;
                };
                case Condition.Between b -> new long[] {
                        firstTrue(new Condition.Comparison(b.operand(), io.siyu.segment.condition.Op.GE, b.low())),
                        lastTrue(new Condition.Comparison(b.operand(), io.siyu.segment.condition.Op.LE, b.high()))};
                default -> null;
            };
        }

        /** The least value where a predicate that turns true as values grow holds; past the domain if none. */
        private long firstTrue(Condition increasing) {
            long lo = -domain;
            long hi = domain;
            if (!holds(increasing, hi)) {
                return domain + 1;
            }
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                if (holds(increasing, mid)) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** The greatest value where a predicate that turns false as values grow holds; before the domain if none. */
        private long lastTrue(Condition decreasing) {
            long lo = -domain;
            long hi = domain;
            if (!holds(decreasing, lo)) {
                return -domain - 1;
            }
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                if (holds(decreasing, mid)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        /**
         * Large candidate sets are split at their middle member: the upper half runs on a helper
         * core with its own answer cache, the lower half here.
         */
        @Override
        RoaringBitmap filter(RoaringBitmap candidates) {
            long n = candidates.getLongCardinality();
            if (n < parallelFrom || Cores.HELPERS == 0) {
                return filter(candidates, 0, Long.MAX_VALUE, keys, answers);
            }
            int middle = candidates.select((int) (n / 2));
            java.util.concurrent.CompletableFuture<RoaringBitmap> upper = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> filter(candidates, middle, Long.MAX_VALUE, new long[SLOTS], new byte[SLOTS]), Cores.POOL);
            RoaringBitmap lower = filter(candidates, 0, middle, keys, answers);
            lower.or(upper.join());
            return lower;
        }

        /** The candidates in [from, to) for whom the predicate holds. */
        private RoaringBitmap filter(RoaringBitmap candidates, int from, long to, long[] keys, byte[] answers) {
            long[] values = this.values;
            boolean times = kind == ValueKind.TIME || kind == ValueKind.DAYS_SINCE;
            long missing = times ? MISSING : 0;
            boolean days = kind == ValueKind.DAYS_SINCE;
            long[] interval = this.interval;
            long low = interval == null ? 1 : interval[0];
            long high = interval == null ? 0 : interval[1];
            long domain = interval == null ? -1 : this.domain;
            RoaringBitmapWriter<RoaringBitmap> out = writer();
            int[] batch = new int[BATCH];
            BatchIterator it = candidates.getBatchIterator();
            it.advanceIfNeeded(from);
            while (it.hasNext()) {
                int n = it.nextBatch(batch);
                for (int i = 0; i < n; i++) {
                    int p = batch[i];
                    if (p >= to) {
                        return out.get();
                    }
                    long value = p < values.length ? values[p] : missing;
                    if (days && value != MISSING) {
                        value = Math.floorDiv(now - value, DAY_MS);
                    }
                    boolean holds;
                    if (value >= -domain && value <= domain) {
                        holds = value >= low && value <= high; // a missing time is outside every domain
                    } else {
                        holds = cached(value, keys, answers);
                    }
                    if (holds) {
                        out.add(p);
                    }
                }
            }
            return out.get();
        }

        private boolean cached(long value, long[] keys, byte[] answers) {
            int slot = (int) (value ^ value >>> 29) & (SLOTS - 1);
            byte answer = keys[slot] == value ? answers[slot] : 0;
            if (answer == 0) {
                answer = holds(leaf, value) ? (byte) 2 : 1;
                keys[slot] = value;
                answers[slot] = answer;
            }
            return answer == 2;
        }

        private boolean holds(Condition condition, long value) {
            PersonFacts facts = switch (kind) {
                case NUMBER, COUNT -> OneValue.number(value, false, now);
                case YUAN_FROM_FEN, SUM_FEN -> OneValue.number(value, true, now);
                case TIME -> OneValue.time(value == MISSING ? null : value, now);
                case DAYS_SINCE -> OneValue.time(value == MISSING ? null : now - value * DAY_MS, now);
            };
            return ConditionEvaluator.evaluate(condition, facts);
        }
    }

    /**
     * The facts of a person of whom only one value is known, which is all a one-operand predicate
     * reads: the trait, the stat (money in yuan, as the profile path gives it), the time, the count
     * or the sum.
     */
    private record OneValue(@Nullable Object value, double stat, @Nullable Long time, long count, long fen, long now)
            implements PersonFacts {

        static OneValue trait(@Nullable Object value, long now) {
            return new OneValue(value, 0, null, 0, 0, now);
        }

        static OneValue number(long value, boolean fen, long now) {
            return new OneValue(null, fen ? value / 100.0 : value, null, value, value, now);
        }

        static OneValue time(@Nullable Long time, long now) {
            return new OneValue(null, 0, time, 0, 0, now);
        }

        @Override
        public @Nullable Object trait(String name) {
            return value;
        }

        @Override
        public double stat(Stat stat) {
            return this.stat;
        }

        @Override
        public @Nullable Long timeStat(Stat stat) {
            return time;
        }

        @Override
        public int count(String event, List<PropertyFilter> where, Duration window) {
            return (int) count;
        }

        @Override
        public long sumFen(String event, List<PropertyFilter> where, Duration window) {
            return fen;
        }

        @Override
        public boolean hasTag(String tag) {
            throw new IllegalStateException("a one-operand predicate never asks for tags");
        }

        @Override
        public boolean inSegment(String segment) {
            throw new IllegalStateException("a one-operand predicate never asks for segments");
        }
    }
}
