package io.siyu.journey.model;

import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.PropertyFilter;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A journey version as the runtime executes it: a trigger, entry rules, an optional goal and a
 * graph of nodes, with every {@code ${parameter}} already substituted. Built only by
 * {@link DefinitionParser}, which guarantees the graph is sound (every exit leads somewhere, every
 * node is reachable, every loop waits), so the runtime never checks that again.
 */
public record JourneyDefinition(
        String name,
        Trigger trigger,
        Entry entry,
        @Nullable String exitWhenLeaving,
        @Nullable Goal goal,
        List<Node> nodes,
        Map<String, Integer> index) {

    public JourneyDefinition {
        nodes = List.copyOf(nodes);
        index = Map.copyOf(index);
    }

    /** The node the journey starts at. */
    public int start() {
        return 0;
    }

    public Node node(int at) {
        return nodes.get(at);
    }

    /** Index of a node by id; the parser made sure it exists. */
    public int indexOf(String id) {
        Integer at = index.get(id);
        if (at == null) {
            throw new IllegalArgumentException("no node " + id + " in journey " + name);
        }
        return at;
    }

    /** How people get in. */
    public sealed interface Trigger {
        /** A tracked event, optionally only when its properties pass every filter. */
        record OnEvent(String event, List<PropertyFilter> where) implements Trigger {}

        /** Entering a saved segment or getting a rule tag. */
        record SegmentEntered(String segment) implements Trigger {}

        /** Everybody in a segment at a moment ({@code at}), or at every {@code cron} match. */
        record Schedule(String segment, @Nullable Instant at, @Nullable String cron) implements Trigger {}

        /**
         * A date trait ({@code birthday}: {@code YYYY-MM-DD} or {@code MM-DD}), at a local time in the
         * person's time zone, {@code offsetDays} before (negative) or after it; every year when
         * {@code annual}.
         */
        record DateAttribute(String trait, LocalTime at, int offsetDays, boolean annual) implements Trigger {}

        /** Only through {@code POST /api/v1/journeys/{id}/enter}. */
        record Api() implements Trigger {}
    }

    /** Whether someone who was in the journey before may enter again. */
    public record Entry(Rule rule, Duration after) {
        public enum Rule { ONCE, AGAIN_AFTER, ALWAYS }
    }

    /** Conversion: the event within {@code within} of entering ends the journey as converted. */
    public record Goal(String event, List<PropertyFilter> where, Duration within) {}

    /** A step of the graph. */
    public sealed interface Node {
        String id();

        /** The nodes this one can lead to. */
        List<Integer> exits();

        /** True when a person stays on this node until time passes or an event comes. */
        default boolean waits() {
            return false;
        }
    }

    public record Wait(String id, Duration duration, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
        public boolean waits() { return true; }
    }

    /** Until the next {@code time} in the person's time zone, on one of {@code days} (all when empty). */
    public record WaitUntil(String id, LocalTime time, Set<DayOfWeek> days, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
        public boolean waits() { return true; }
    }

    /** Until the person does {@code event} ({@code next}) or {@code timeout} passes ({@code timeoutNext}). */
    public record WaitForEvent(String id, String event, List<PropertyFilter> where, Duration timeout, int next,
            int timeoutNext) implements Node {
        public List<Integer> exits() { return List.of(next, timeoutNext); }
        public boolean waits() { return true; }
    }

    public record Branch(String id, Condition condition, int then, int otherwise) implements Node {
        public List<Integer> exits() { return List.of(then, otherwise); }
    }

    /**
     * Random split: arm {@code i} gets {@code percents[i]} of people; the rest ({@code holdout}
     * percent) is the control group, which leaves the journey without any action.
     */
    public record Split(String id, int[] percents, int[] arms, int holdout) implements Node {
        public List<Integer> exits() {
            return java.util.Arrays.stream(arms).boxed().toList();
        }
    }

    /** Performed by the {@code io.siyu.action.ActionProvider} of {@code type} (message, coupon, handoff, webhook). */
    public record Action(String id, String type, Map<String, String> parameters, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
    }

    /** Adds ({@code add}) or removes a tag, as a logged Tag Assigned / Tag Removed event. */
    public record Tag(String id, String tag, boolean add, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
    }

    /** Sets a trait, as a logged identify event. */
    public record SetTrait(String id, String trait, String value, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
    }

    /** Enters the person into another published journey (by name). */
    public record StartJourney(String id, String journey, int next) implements Node {
        public List<Integer> exits() { return List.of(next); }
    }

    public record Exit(String id) implements Node {
        public List<Integer> exits() { return List.of(); }
    }
}
