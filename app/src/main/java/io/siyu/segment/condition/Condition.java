package io.siyu.segment.condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed condition: the one language of tag rules, segment definitions and journey branches.
 *
 * <p>Values are immutable and compare by structure. {@link And} and {@link Or} are n-ary and kept
 * flat (an {@code And} never holds an {@code And}), so {@code ConditionParser.parse(c.toText())}
 * and {@code ConditionJson.fromJson(ConditionJson.toJson(c))} both equal {@code c} (for conditions
 * within the parser's limits on nesting and predicates). Constructors
 * refuse literals that cannot suit their operand (e.g. {@code count(...) >= "x"}) with an
 * {@link IllegalArgumentException}.
 */
public sealed interface Condition {

    /** Canonical text with the fewest parentheses the precedence {@code not > and > or} allows. */
    default String toText() {
        return ConditionText.print(this);
    }

    /** All children hold. */
    record And(List<Condition> children) implements Condition {
        /** @throws IllegalArgumentException with fewer than two children */
        public And {
            children = flatten(children, And.class);
        }

        public And(Condition... children) {
            this(List.of(children));
        }
    }

    /** At least one child holds. */
    record Or(List<Condition> children) implements Condition {
        /** @throws IllegalArgumentException with fewer than two children */
        public Or {
            children = flatten(children, Or.class);
        }

        public Or(Condition... children) {
            this(List.of(children));
        }
    }

    record Not(Condition child) implements Condition {
        public Not {
            Objects.requireNonNull(child, "child");
        }
    }

    /** {@code left op right}, e.g. {@code age >= 25} or {@code name contains "王"}. */
    record Comparison(Operand left, Op op, Value right) implements Condition {
        public Comparison {
            Objects.requireNonNull(op, "op");
            Checks.valueSuits(left, op, right);
        }
    }

    /** {@code operand between low and high}, both ends included. */
    record Between(Operand operand, Value low, Value high) implements Condition {
        public Between {
            Checks.valueSuits(operand, Op.GE, low);
            Checks.valueSuits(operand, Op.LE, high);
        }
    }

    /** {@code operand in (v1, v2, ...)}: equal to any of the values. */
    record In(Operand operand, List<Value> values) implements Condition {
        public In {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("in needs at least one value");
            }
            for (Value value : values) {
                Checks.valueSuits(operand, Op.EQ, value);
            }
        }
    }

    /** {@code operand is missing}: absent, null or a blank string. */
    record IsMissing(Operand operand) implements Condition {
        public IsMissing {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code operand is present}: the opposite of {@link IsMissing}. */
    record IsPresent(Operand operand) implements Condition {
        public IsPresent {
            Objects.requireNonNull(operand, "operand");
        }
    }

    record HasTag(String tag) implements Condition {
        public HasTag {
            if (tag.isBlank()) {
                throw new IllegalArgumentException("tag name is blank");
            }
        }
    }

    record InSegment(String segment) implements Condition {
        public InSegment {
            if (segment.isBlank()) {
                throw new IllegalArgumentException("segment name is blank");
            }
        }
    }

    /** {@code children} joined by and; the child itself when there is one. */
    static Condition and(List<Condition> children) {
        return children.size() == 1 ? children.getFirst() : new And(children);
    }

    /** {@code children} joined by or; the child itself when there is one. */
    static Condition or(List<Condition> children) {
        return children.size() == 1 ? children.getFirst() : new Or(children);
    }

    private static List<Condition> flatten(List<Condition> children, Class<? extends Condition> type) {
        List<Condition> flat = new ArrayList<>(children.size());
        for (Condition child : children) {
            Objects.requireNonNull(child, "child");
            switch (child) {
                case And and when type == And.class -> flat.addAll(and.children());
                case Or or when type == Or.class -> flat.addAll(or.children());
                default -> flat.add(child);
            }
        }
        if (flat.size() < 2) {
            throw new IllegalArgumentException((type == And.class ? "and" : "or") + " needs at least two conditions");
        }
        return List.copyOf(flat);
    }
}
