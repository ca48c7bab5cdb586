package io.siyu.segment.condition;

import java.util.Objects;

/**
 * One test on an event property inside {@code count(... where category = "母婴", 30d)}. Evaluated
 * with the same rules as a trait comparison (see {@link ConditionEvaluator}); a missing property
 * fails the test.
 */
public record PropertyFilter(String property, Op op, Value value) {

    /** @throws IllegalArgumentException when the property is blank or the value does not suit the operator */
    public PropertyFilter {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (property.isBlank()) {
            throw new IllegalArgumentException("property name is blank");
        }
        Checks.valueSuits(op, value);
    }
}
