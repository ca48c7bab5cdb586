package io.siyu.segment;

import io.siyu.engine.TenantState;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionEvaluator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The condition language over live profiles, for other capabilities (journey branches and
 * audiences). Call on the tenant's partition thread, e.g. inside {@code engine.ask}.
 */
public final class PersonConditions {

    private PersonConditions() {}

    /** Whether one person matches, at {@code now}. */
    public static boolean matches(TenantState state, Condition condition, int person, long now) {
        return ConditionEvaluator.evaluate(condition, new ProfileFacts(state, now).of(person));
    }

    /**
     * Everybody who matches, from bitmaps where the condition allows.
     *
     * @throws IllegalArgumentException when the condition filters on what the engine keeps no counters for
     */
    public static RoaringBitmap members(TenantState state, Condition condition, long now) {
        try {
            return new SegmentCounter(state, now).members(condition);
        } catch (SegmentCounter.UnsupportedCondition e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Live people: known and not merged into someone else. Do not modify the result. */
    public static RoaringBitmap everybody(TenantState state) {
        return state.part(SegmentExtension.ID, SegmentBook.class).people(state);
    }
}
