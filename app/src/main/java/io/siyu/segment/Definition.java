package io.siyu.segment;

import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionPlanner;
import io.siyu.segment.condition.Operand;
import io.siyu.segment.condition.Stat;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A saved audience: a dynamic segment or a rule tag, with what its condition depends on, so that
 * an event re-evaluates only the definitions it can change.
 *
 * @param events names of events whose arrival can change the answer
 * @param anyEvent true when any event can (last_seen, event_count, traits, tags, segments)
 * @param timeDependent true when the passing of time alone can (windows, days_since, times)
 */
record Definition(String name, Kind kind, Condition condition, @Nullable String group, Set<String> events,
        boolean anyEvent, boolean timeDependent) {

    enum Kind { SEGMENT, TAG }

    static Definition of(String name, Kind kind, Condition condition, @Nullable String group) {
        Set<String> events = new HashSet<>();
        boolean[] flags = new boolean[2];
        walk(condition, events, flags);
        return new Definition(name, kind, ConditionPlanner.order(condition), group, Set.copyOf(events), flags[0], flags[1]);
    }

    boolean affectedBy(String eventName, boolean carriesTraits) {
        return anyEvent || carriesTraits || events.contains(eventName);
    }

    private static void walk(Condition condition, Set<String> events, boolean[] flags) {
        switch (condition) {
            case Condition.And and -> and.children().forEach(c -> walk(c, events, flags));
            case Condition.Or or -> or.children().forEach(c -> walk(c, events, flags));
            case Condition.Not not -> walk(not.child(), events, flags);
            case Condition.Comparison c -> operand(c.left(), events, flags);
            case Condition.Between b -> operand(b.operand(), events, flags);
            case Condition.In in -> operand(in.operand(), events, flags);
            case Condition.IsMissing m -> operand(m.operand(), events, flags);
            case Condition.IsPresent p -> operand(p.operand(), events, flags);
            case Condition.HasTag t -> {
                flags[0] = true;
                flags[1] = true; // the tag may be a rule tag that time changes
            }
            case Condition.InSegment s -> {
                flags[0] = true;
                flags[1] = true; // the segment may be one that time changes
            }
        }
    }

    private static void operand(Operand operand, Set<String> events, boolean[] flags) {
        switch (operand) {
            case Operand.Trait t -> { } // traits change only with events that carry traits
            case Operand.StatRef s -> stat(s.stat(), events, flags);
            case Operand.Count c -> {
                events.add(c.event());
                flags[1] = true;
            }
            case Operand.Sum s -> {
                events.add(s.event());
                flags[1] = true;
            }
            case Operand.DaysSince d -> {
                flags[1] = true;
                operand(d.of(), events, flags);
            }
        }
    }

    private static void stat(Stat stat, Set<String> events, boolean[] flags) {
        switch (stat) {
            case ORDER_COUNT, TOTAL_SPEND, AVG_ORDER_VALUE -> events.add("Order Completed");
            case LAST_ORDER -> {
                events.add("Order Completed");
                flags[1] = true;
            }
            case REFUND_COUNT -> events.add("Order Refunded");
            case EVENT_COUNT -> flags[0] = true;
            case LAST_SEEN, FIRST_SEEN, LAST_INTERACTION -> {
                flags[0] = true;
                flags[1] = true;
            }
        }
    }
}
