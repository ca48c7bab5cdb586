package io.siyu.segment;

import io.siyu.engine.TenantState;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionEvaluator;
import io.siyu.segment.condition.ConditionPlanner;
import io.siyu.segment.condition.Operand;
import io.siyu.segment.condition.PropertyFilter;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates a condition over every person of a tenant into a bitmap. Tags and segments are
 * bitmap algebra (a subtree of only those is computed without reference to candidates); the other
 * tests scan {@link Columns} over only the people that the cheaper tests left, in the order the
 * planner gives ("has_tag" before traits before windowed counts), so a selective tag makes a
 * windowed count cheap.
 */
final class SegmentCounter {

    private final TenantState state;
    private final TagBook tags;
    private final ProfileFacts facts;
    private final Columns columns;
    private final long now;

    SegmentCounter(TenantState state, long now) {
        this.state = state;
        this.tags = state.part(TagExtension.ID, TagBook.class);
        this.facts = new ProfileFacts(state, now);
        this.columns = state.part(SegmentExtension.ID, SegmentBook.class).columns();
        this.now = now;
    }

    /**
     * The people matching the condition.
     *
     * @throws UnsupportedCondition when a windowed count filters on a property the engine keeps no counters for
     */
    RoaringBitmap members(Condition condition) {
        requireSupported(condition);
        RoaringBitmap everybody = everybody();
        RoaringBitmap members = evaluate(ConditionPlanner.order(condition), everybody);
        return members == everybody ? everybody.clone() : members; // callers own the answer
    }

    /**
     * How many people match. A tags-and-segments condition is counted without building its
     * bitmap ({@link BitmapCount}); anything else counts the members.
     *
     * @throws UnsupportedCondition as {@link #members}
     */
    long count(Condition condition) {
        requireSupported(condition);
        Condition planned = ConditionPlanner.order(condition);
        if (bitmapsOnly(planned)) {
            return BitmapCount.count(expression(planned), everybody());
        }
        return evaluate(planned, everybody()).getLongCardinality();
    }

    /** Live people: known, not merged into someone else. */
    RoaringBitmap everybody() {
        return state.part(SegmentExtension.ID, SegmentBook.class).people(state);
    }

    private RoaringBitmap evaluate(Condition condition, RoaringBitmap candidates) {
        if (bitmapsOnly(condition)) {
            return RoaringBitmap.and(bits(condition), candidates);
        }
        return switch (condition) {
            case Condition.And and -> {
                RoaringBitmap result = candidates;
                for (Condition child : and.children()) {
                    if (result.isEmpty()) {
                        break;
                    }
                    result = evaluate(child, result);
                }
                yield result;
            }
            case Condition.Or or -> {
                RoaringBitmap result = new RoaringBitmap();
                RoaringBitmap remaining = candidates;
                for (Condition child : or.children()) {
                    if (remaining.isEmpty()) {
                        break;
                    }
                    RoaringBitmap matched = evaluate(child, remaining);
                    result.or(matched);
                    remaining = RoaringBitmap.andNot(remaining, matched);
                }
                yield result;
            }
            case Condition.Not not -> RoaringBitmap.andNot(candidates, evaluate(not.child(), candidates));
            default -> filter(condition, candidates);
        };
    }

    /** Whether the condition is tags and segments only, answered by bitmap algebra alone. */
    private static boolean bitmapsOnly(Condition condition) {
        return switch (condition) {
            case Condition.HasTag t -> true;
            case Condition.InSegment s -> true;
            case Condition.Not not -> bitmapsOnly(not.child());
            case Condition.And and -> and.children().stream().allMatch(SegmentCounter::bitmapsOnly);
            case Condition.Or or -> or.children().stream().allMatch(SegmentCounter::bitmapsOnly);
            default -> false;
        };
    }

    /**
     * The members of a tags-and-segments condition, possibly including people no longer live (the
     * caller intersects with its candidates). May return a tag's own bitmap: never modify the result.
     */
    private RoaringBitmap bits(Condition condition) {
        return switch (condition) {
            case Condition.HasTag hasTag -> tags.members(hasTag.tag());
            case Condition.InSegment inSegment ->
                    state.part(SegmentExtension.ID, SegmentBook.class).members(state, inSegment.segment());
            case Condition.Not not -> RoaringBitmap.andNot(everybody(), bits(not.child()));
            case Condition.Or or -> FastAggregation.or(or.children().stream().map(this::bits).iterator());
            case Condition.And and -> {
                List<RoaringBitmap> positive = new ArrayList<>();
                List<RoaringBitmap> negative = new ArrayList<>();
                for (Condition child : and.children()) {
                    if (child instanceof Condition.Not not) {
                        negative.add(bits(not.child()));
                    } else {
                        positive.add(bits(child));
                    }
                }
                RoaringBitmap result;
                if (positive.isEmpty()) {
                    result = everybody().clone();
                } else {
                    positive.sort(java.util.Comparator.comparingLong(RoaringBitmap::getLongCardinality));
                    result = positive.size() == 1 ? positive.getFirst().clone()
                            : FastAggregation.and(positive.toArray(RoaringBitmap[]::new));
                }
                for (RoaringBitmap excluded : negative) {
                    if (result.isEmpty()) {
                        break;
                    }
                    result.andNot(excluded);
                }
                yield result;
            }
            default -> throw new IllegalArgumentException("not a tags-and-segments condition: " + condition.toText());
        };
    }

    /** A tags-and-segments condition as a {@link BitmapCount} expression, rarest operands of an {@code and} first. */
    private BitmapCount.Node expression(Condition condition) {
        return switch (condition) {
            case Condition.HasTag hasTag -> new BitmapCount.Node.Operand(tags.members(hasTag.tag()));
            case Condition.InSegment inSegment ->
                    new BitmapCount.Node.Operand(state.part(SegmentExtension.ID, SegmentBook.class).members(state, inSegment.segment()));
            case Condition.Not not -> new BitmapCount.Node.Not(expression(not.child()));
            case Condition.Or or -> new BitmapCount.Node.Any(or.children().stream().map(this::expression).toList());
            case Condition.And and -> new BitmapCount.Node.All(and.children().stream().map(this::expression)
                    .sorted(java.util.Comparator.comparingLong(SegmentCounter::rarity)).toList());
            default -> throw new IllegalArgumentException("not a tags-and-segments condition: " + condition.toText());
        };
    }

    /** Operands by size, then other subtrees, then exclusions: an {@code and} stops at its first empty chunk. */
    private static long rarity(BitmapCount.Node node) {
        return switch (node) {
            case BitmapCount.Node.Operand operand -> operand.bits().getLongCardinality();
            case BitmapCount.Node.Not not -> Long.MAX_VALUE;
            default -> Long.MAX_VALUE - 1;
        };
    }

    private RoaringBitmap filter(Condition leaf, RoaringBitmap candidates) {
        Columns.Scan scan = columns.compile(state, leaf, now);
        if (scan != null) {
            return scan.filter(candidates);
        }
        RoaringBitmap result = new RoaringBitmap();
        IntIterator it = candidates.getIntIterator();
        while (it.hasNext()) {
            int person = it.next();
            if (ConditionEvaluator.evaluate(leaf, facts.of(person))) {
                result.add(person);
            }
        }
        return result;
    }

    /** A condition this engine cannot answer faithfully; rejected rather than answered wrongly. */
    static final class UnsupportedCondition extends RuntimeException {
        UnsupportedCondition(String message) {
            super(message);
        }
    }

    static void requireSupported(Condition condition) {
        List<Operand> operands = new ArrayList<>();
        collect(condition, operands);
        for (Operand operand : operands) {
            java.time.Duration window = switch (operand) {
                case Operand.Count count -> count.window().toDuration();
                case Operand.Sum sum -> sum.window().toDuration();
                default -> java.time.Duration.ofDays(1);
            };
            if (window.toMillis() % 86_400_000L != 0) {
                throw new UnsupportedCondition("windows are whole days (30d, 2w), because behaviour is counted per day");
            }
            List<PropertyFilter> where = switch (operand) {
                case Operand.Count count -> count.where();
                case Operand.Sum sum -> sum.where().isEmpty() ? List.of() : null;
                default -> List.of();
            };
            if (where == null) {
                throw new UnsupportedCondition("sum(...) cannot filter on event properties yet: money is kept per event and day");
            }
            if (!ProfileFacts.supports(where)) {
                throw new UnsupportedCondition("count(... where ...) supports one filter, category = \"…\", for now");
            }
        }
    }

    private static void collect(Condition condition, List<Operand> into) {
        switch (condition) {
            case Condition.And and -> and.children().forEach(c -> collect(c, into));
            case Condition.Or or -> or.children().forEach(c -> collect(c, into));
            case Condition.Not not -> collect(not.child(), into);
            case Condition.Comparison c -> add(c.left(), into);
            case Condition.Between b -> add(b.operand(), into);
            case Condition.In in -> add(in.operand(), into);
            case Condition.IsMissing m -> add(m.operand(), into);
            case Condition.IsPresent p -> add(p.operand(), into);
            case Condition.HasTag t -> { }
            case Condition.InSegment s -> { }
        }
    }

    private static void add(Operand operand, List<Operand> into) {
        into.add(operand);
        if (operand instanceof Operand.DaysSince since) {
            add(since.of(), into);
        }
    }
}
