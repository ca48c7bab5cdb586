package io.siyu.segment.condition;

import java.time.Duration;

/**
 * A look-back window of {@code count(...)} and {@code sum(...)}, written {@code 30d}, {@code 12h}
 * or {@code 2w}. The unit is kept so that the text reads back as the operator wrote it.
 *
 * @param amount positive number of units, at most {@value #MAX_AMOUNT}
 */
public record Window(long amount, Unit unit) {

    /** Large enough for ten years in hours, small enough that no duration overflows. */
    public static final long MAX_AMOUNT = 100_000;

    public enum Unit {
        HOURS('h', Duration.ofHours(1)),
        DAYS('d', Duration.ofDays(1)),
        WEEKS('w', Duration.ofDays(7));

        private final char suffix;
        private final Duration length;

        Unit(char suffix, Duration length) {
            this.suffix = suffix;
            this.length = length;
        }

        public char suffix() {
            return suffix;
        }
    }

    /** @throws IllegalArgumentException when the amount is not in 1..{@value #MAX_AMOUNT} */
    public Window {
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw new IllegalArgumentException("window must be 1 to " + MAX_AMOUNT + " units but is " + amount);
        }
    }

    public static Window days(long days) {
        return new Window(days, Unit.DAYS);
    }

    /**
     * Parses {@code 30d}, {@code 12h} or {@code 2w} (suffix in any case).
     *
     * @throws IllegalArgumentException naming the rule when {@code text} is not a window
     */
    public static Window parse(String text) {
        if (text.length() < 2 || text.length() > 7) {
            throw new IllegalArgumentException("a window is a number of 1 to " + MAX_AMOUNT + " followed by d, h or w, not '" + text + "'");
        }
        char suffix = Character.toLowerCase(text.charAt(text.length() - 1));
        String digits = text.substring(0, text.length() - 1);
        for (Unit unit : Unit.values()) {
            if (unit.suffix == suffix && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new Window(Long.parseLong(digits), unit);
            }
        }
        throw new IllegalArgumentException("a window is a number followed by d, h or w, not '" + text + "'");
    }

    public Duration toDuration() {
        return unit.length.multipliedBy(amount);
    }

    @Override
    public String toString() {
        return amount + String.valueOf(unit.suffix);
    }
}
