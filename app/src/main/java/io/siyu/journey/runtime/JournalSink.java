package io.siyu.journey.runtime;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link JourneyBook} writes what happened. Steps and outbox rows of one call are committed
 * together (one transaction with the event position they answer), so a crash keeps all or none.
 */
public interface JournalSink {

    /** What a journal row records. */
    enum Kind {
        /** The person entered at the start node (node = start; vars = trigger properties). */
        ENTERED,
        /** The person arrived at a node; {@code deadline} set when it is a wait. */
        AT,
        /** The goal was reached: the journey ended as converted. */
        CONVERTED,
        /** The journey ended; {@code reason} says why (end, holdout, left-segment, archived). */
        EXITED,
        /** A scheduled broadcast ran at {@code at}. */
        SCHEDULED
    }

    void step(int tenant, Kind kind, int journey, int version, int person, int entry, int step, String node, long at,
            long deadline, @Nullable String reason, @Nullable Map<String, String> vars);

    /** An action for the outbox; {@code actionId} is its idempotency key. */
    void action(int tenant, String actionId, int journey, int version, String node, int person, String type,
            Map<String, String> parameters, Map<String, Object> context, long notBefore);

    /**
     * Everything told since the last boundary is one person's consequences of one cause (a wait
     * ending, an entry of a broadcast): a long batch may be committed in parts cut only here, so
     * a step is never durable without the actions it asked for, nor an action without its step.
     */
    default void boundary() {}
}
