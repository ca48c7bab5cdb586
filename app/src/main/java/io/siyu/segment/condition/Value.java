package io.siyu.segment.condition;

import java.math.BigDecimal;
import java.util.Objects;

/** A literal on the right of a comparison: a string, a number or a boolean. Dates are ISO-8601 strings. */
public sealed interface Value {

    /** A double-quoted string. */
    record Text(String value) implements Value {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A number, kept exact and normalised (trailing zeros stripped, never in exponent form) so that
     * {@code 1.50} and {@code 1.5} are the same condition and every number prints as plain digits.
     */
    record Decimal(BigDecimal value) implements Value {

        /** Enough for any amount or count; bounds the text a hostile JSON number could print to. */
        public static final int MAX_DIGITS = 40;

        /** @throws IllegalArgumentException when the number has more than {@value #MAX_DIGITS} digits either side of the point */
        public Decimal {
            Objects.requireNonNull(value, "value");
            BigDecimal stripped = value.stripTrailingZeros();
            if (stripped.precision() - stripped.scale() > MAX_DIGITS || stripped.scale() > MAX_DIGITS) {
                throw new IllegalArgumentException("number has more than " + MAX_DIGITS + " digits: " + value.toString());
            }
            value = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }

        public static Decimal of(String digits) {
            return new Decimal(new BigDecimal(digits));
        }
    }

    record Bool(boolean value) implements Value {}
}
