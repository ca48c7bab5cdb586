package io.siyu.segment.condition;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ISO-8601 forms conditions accept: a date ({@code 2024-05-01}) or a date-time with or
 * without offset ({@code 2024-05-01T08:00:00+08:00}; without one it is UTC). Tenant time zones are
 * not known here, so a date stands for its UTC day.
 */
final class IsoTime {

    private IsoTime() {}

    /** A {@link LocalDate}, an {@link Instant}, or null when {@code text} is neither. */
    static @Nullable Object parse(String text) {
        if (text.length() < 10 || text.length() > 40 || !Character.isDigit(text.charAt(0))) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text);
            }
            if (text.endsWith("Z") || text.lastIndexOf('+') > 10 || text.lastIndexOf('-') > 10) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static LocalDate utcDate(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    static long epochMillis(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
