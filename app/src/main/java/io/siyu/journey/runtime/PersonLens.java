package io.siyu.journey.runtime;

import io.siyu.segment.condition.Condition;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What a journey may ask about people of its tenant, answered from the engine's live state on the
 * partition thread (or, in benchmarks, from anything).
 */
public interface PersonLens {

    /** The condition language over the person's profile, tags and segments at {@code now}. */
    boolean test(Condition condition, int person, long now);

    /** The person's time zone: trait {@code timezone}, else Asia/Shanghai. */
    ZoneId zone(int person);

    @Nullable Object trait(int person, String name);

    /** What action templates may use: traits, tags, top category, id; never null values. */
    Map<String, Object> context(int person, long now);

    /** Calls {@code each} for every member of a segment or holder of a tag. */
    void members(String segment, long now, IntConsumer each);

    /** Calls {@code each} for every live person. */
    void everybody(IntConsumer each);

}
