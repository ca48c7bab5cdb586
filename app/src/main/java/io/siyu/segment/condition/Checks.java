package io.siyu.segment.condition;

/** Rules shared by the records, so that the parser and the JSON reader refuse the same things. */
final class Checks {

    private Checks() {}

    /** A literal usable with {@code op} against a value of unknown type (a trait or event property). */
    static void valueSuits(Op op, Value value) {
        if (op.isTextual() && !(value instanceof Value.Text)) {
            throw new IllegalArgumentException(op.symbol() + " needs a string");
        }
        if (op.isOrdering() && value instanceof Value.Bool) {
            throw new IllegalArgumentException(op.symbol() + " needs a number or string, not a boolean");
        }
    }

    /** A literal usable with {@code op} against {@code left}. */
    static void valueSuits(Operand left, Op op, Value value) {
        switch (left.kind()) {
            case ANY -> valueSuits(op, value);
            case NUMBER -> {
                if (op.isTextual() || !(value instanceof Value.Decimal)) {
                    throw new IllegalArgumentException(ConditionText.operand(left) + " is a number and needs a numeric comparison");
                }
            }
            case TIME -> {
                if (op.isTextual() || !(value instanceof Value.Text text) || IsoTime.parse(text.value()) == null) {
                    throw new IllegalArgumentException(ConditionText.operand(left)
                            + " is a time and needs an ISO date such as \"2024-05-01\" or \"2024-05-01T08:00:00Z\"");
                }
            }
        }
    }
}
