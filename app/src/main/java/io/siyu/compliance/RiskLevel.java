package io.siyu.compliance;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Risk on the five-step scale of Chinese suitability rules (适当性管理): products are rated R1
 * (lowest) to R5, investors assessed C1 (conservative) to C5 (aggressive), and a person may be
 * offered a product only up to their own level.
 */
public enum RiskLevel {
    R1, R2, R3, R4, R5;

    /** The level's number, 1–5. */
    public int rank() {
        return ordinal() + 1;
    }

    public boolean above(RiskLevel other) {
        return compareTo(other) > 0;
    }

    /**
     * Reads a product rating or an investor assessment as written by people and systems:
     * {@code R3}, {@code C3}, {@code r3}, {@code 3} or the number 3.
     *
     * @return empty when the value is missing or not one of those forms
     */
    public static Optional<RiskLevel> parse(@Nullable Object value) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d >= 1 && d <= 5 && d == Math.rint(d) ? Optional.of(values()[(int) d - 1]) : Optional.empty();
        }
        if (!(value instanceof String text)) {
            return Optional.empty();
        }
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.length() == 2 && (s.charAt(0) == 'R' || s.charAt(0) == 'C')) {
            s = s.substring(1);
        }
        return s.length() == 1 && s.charAt(0) >= '1' && s.charAt(0) <= '5'
                ? Optional.of(values()[s.charAt(0) - '1'])
                : Optional.empty();
    }
}
