package io.siyu.segment.condition;

import java.util.List;
import java.util.Objects;

/** What a predicate tests: a trait, a computed stat, an event count or sum over a window, or days since a time. */
public sealed interface Operand {

    /** What values an operand yields, which decides the literals it can be compared with. */
    enum Kind {
        /** A trait or event property: string, number, boolean or date, decided per person. */
        ANY,
        /** Always a number, never missing (counts, sums, numeric stats); days since a time is missing with the time. */
        NUMBER,
        /** A point in time, missing until it happened. */
        TIME
    }

    Kind kind();

    /**
     * A free-form trait such as {@code age} or {@code 会员等级}. Written bare when the name is an
     * identifier and not a reserved word, otherwise {@code trait("name")}.
     */
    record Trait(String name) implements Operand {
        /** @throws IllegalArgumentException when the name is blank */
        public Trait {
            if (name.isBlank()) {
                throw new IllegalArgumentException("trait name is blank");
            }
        }

        @Override
        public Kind kind() {
            return Kind.ANY;
        }
    }

    /** One of the computed {@link Stat}s. */
    record StatRef(Stat stat) implements Operand {
        public StatRef {
            Objects.requireNonNull(stat, "stat");
        }

        @Override
        public Kind kind() {
            return stat.isTime() ? Kind.TIME : Kind.NUMBER;
        }
    }

    /** How many {@code event}s matching every filter happened within the window before now. */
    record Count(String event, List<PropertyFilter> where, Window window) implements Operand {
        /** @throws IllegalArgumentException when the event name is blank */
        public Count {
            where = List.copyOf(where);
            Objects.requireNonNull(window, "window");
            if (event.isBlank()) {
                throw new IllegalArgumentException("event name is blank");
            }
        }

        @Override
        public Kind kind() {
            return Kind.NUMBER;
        }
    }

    /** The money amount, in yuan, of {@code event}s matching every filter within the window before now. */
    record Sum(String event, List<PropertyFilter> where, Window window) implements Operand {
        /** @throws IllegalArgumentException when the event name is blank */
        public Sum {
            where = List.copyOf(where);
            Objects.requireNonNull(window, "window");
            if (event.isBlank()) {
                throw new IllegalArgumentException("event name is blank");
            }
        }

        @Override
        public Kind kind() {
            return Kind.NUMBER;
        }
    }

    /**
     * Whole days (rounded down) from a time to now: a time stat, or a trait holding an ISO date,
     * an ISO date-time or epoch milliseconds. Missing when the time is missing or unreadable.
     */
    record DaysSince(Operand of) implements Operand {
        /** @throws IllegalArgumentException unless {@code of} is a trait or a time stat */
        public DaysSince {
            if (!(of instanceof Trait) && !(of instanceof StatRef s && s.stat().isTime())) {
                throw new IllegalArgumentException("days_since needs a time stat (first_seen, last_seen, last_order, "
                        + "last_interaction) or a date trait, not " + ConditionText.operand(of));
            }
        }

        @Override
        public Kind kind() {
            return Kind.NUMBER;
        }
    }
}
