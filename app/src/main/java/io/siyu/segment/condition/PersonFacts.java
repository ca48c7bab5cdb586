package io.siyu.segment.condition;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ConditionEvaluator} may ask about one person. The profile engine answers from its
 * counters; tests answer from a list of events. Implementations must not throw for missing data:
 * absent answers are null, zero or false as stated per method.
 */
public interface PersonFacts {

    /**
     * The trait's value as a {@link String}, {@link Long}, {@link Double} or {@link Boolean}; null when
     * not set. Any other value (e.g. a nested JSON trait) counts as present but compares with nothing.
     */
    @Nullable Object trait(String name);

    /**
     * A numeric stat ({@link Stat#isTime()} false); money in yuan. Never asked for a time stat.
     */
    double stat(Stat stat);

    /**
     * A time stat in epoch milliseconds, null when it never happened. Asked for
     * {@link Stat#FIRST_SEEN}, {@link Stat#LAST_SEEN} or {@link Stat#LAST_ORDER} only
     * ({@code last_interaction} is asked as {@code LAST_SEEN}).
     */
    @Nullable Long timeStat(Stat stat);

    /** The evaluation time, epoch milliseconds, from the caller's clock. */
    long now();

    /**
     * How many {@code event}s happened in {@code (now - window, now]} whose properties pass every
     * filter; apply a filter with {@link ConditionEvaluator#matches(PropertyFilter, Object)}.
     */
    int count(String event, List<PropertyFilter> where, Duration window);

    /** The summed amount, in fen, of the events {@link #count} would count. */
    long sumFen(String event, List<PropertyFilter> where, Duration window);

    boolean hasTag(String tag);

    boolean inSegment(String segment);
}
