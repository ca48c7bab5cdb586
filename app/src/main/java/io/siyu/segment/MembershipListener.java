package io.siyu.segment;

import io.siyu.engine.TenantState;

/**
 * Told, on the tenant's partition thread, when a person enters or leaves a saved segment or gets or
 * loses a rule tag, whether an event, the passing of time or a new definition caused it. Journeys
 * use it for "segment entered" triggers and "exit when leaving". Implementations must be fast and
 * must not block; they are also called while the engine replays its log at start-up.
 */
@FunctionalInterface
public interface MembershipListener {

    /**
     * @param name the segment or rule tag
     * @param tag true for a rule tag, false for a segment
     * @param entered true when the person joined, false when they left
     * @param at epoch ms of the change (the event's arrival or the evaluation time)
     */
    void changed(TenantState state, String name, boolean tag, int person, boolean entered, long at);
}
