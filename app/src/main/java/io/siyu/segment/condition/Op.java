package io.siyu.segment.condition;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A comparison operator, as written in conditions and in their JSON form. */
public enum Op {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    CONTAINS("contains"),
    STARTS_WITH("starts_with");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    /** The canonical spelling, also used in JSON. */
    public String symbol() {
        return symbol;
    }

    /** True for {@code <, <=, >, >=}, which need ordered values. */
    public boolean isOrdering() {
        return this == LT || this == LE || this == GT || this == GE;
    }

    /** True for {@code contains} and {@code starts_with}, which apply to strings only. */
    public boolean isTextual() {
        return this == CONTAINS || this == STARTS_WITH;
    }

    /** The operator spelled {@code text} (canonical or alias {@code ==}, {@code <>}), or null. */
    public static @Nullable Op fromSymbol(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "=", "==" -> EQ;
            case "!=", "<>" -> NE;
            case "<" -> LT;
            case "<=" -> LE;
            case ">" -> GT;
            case ">=" -> GE;
            case "contains" -> CONTAINS;
            case "starts_with" -> STARTS_WITH;
            default -> null;
        };
    }
}
