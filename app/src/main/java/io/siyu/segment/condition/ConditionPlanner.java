package io.siyu.segment.condition;

import io.siyu.segment.condition.Condition.And;
import io.siyu.segment.condition.Condition.Between;
import io.siyu.segment.condition.Condition.Comparison;
import io.siyu.segment.condition.Condition.HasTag;
import io.siyu.segment.condition.Condition.In;
import io.siyu.segment.condition.Condition.InSegment;
import io.siyu.segment.condition.Condition.IsMissing;
import io.siyu.segment.condition.Condition.IsPresent;
import io.siyu.segment.condition.Condition.Not;
import io.siyu.segment.condition.Condition.Or;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the children of every {@code and} and {@code or} cheapest first, so that short-circuiting
 * skips windowed counts whenever a tag or trait already decides. Evaluation has no side effects
 * and never throws, so the order cannot change a result; ties keep the written order.
 *
 * <p>Relative costs: tag and segment membership 1 (a set lookup), trait or stat 2, days since 3,
 * a windowed count or sum 50 plus 10 per property filter (a scan of counters or events).
 */
public final class ConditionPlanner {

    private ConditionPlanner() {}

    /** The same condition with cheaper children first at every level. */
    public static Condition order(Condition condition) {
        return switch (condition) {
            case And and -> new And(sorted(and.children()));
            case Or or -> new Or(sorted(or.children()));
            case Not not -> new Not(order(not.child()));
            default -> condition;
        };
    }

    /** An estimate of the work to evaluate {@code condition} in full. */
    public static int cost(Condition condition) {
        return switch (condition) {
            case And and -> and.children().stream().mapToInt(ConditionPlanner::cost).sum();
            case Or or -> or.children().stream().mapToInt(ConditionPlanner::cost).sum();
            case Not not -> cost(not.child());
            case Comparison c -> cost(c.left());
            case Between b -> cost(b.operand());
            case In in -> cost(in.operand());
            case IsMissing m -> cost(m.operand());
            case IsPresent p -> cost(p.operand());
            case HasTag t -> 1;
            case InSegment s -> 1;
        };
    }

    private static int cost(Operand operand) {
        return switch (operand) {
            case Operand.Trait t -> 2;
            case Operand.StatRef s -> 2;
            case Operand.DaysSince d -> 3;
            case Operand.Count c -> 50 + 10 * c.where().size();
            case Operand.Sum s -> 50 + 10 * s.where().size();
        };
    }

    private static List<Condition> sorted(List<Condition> children) {
        return children.stream().map(ConditionPlanner::order)
                .sorted(Comparator.comparingInt(ConditionPlanner::cost)).toList();
    }
}
