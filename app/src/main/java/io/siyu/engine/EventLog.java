package io.siyu.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * The durable, ordered log of every accepted event: the system of record that engine state is
 * a materialised view of.
 */
public interface EventLog {

    /**
     * Writes events, already numbered, in one transaction. When this returns they are durable.
     *
     * @throws RuntimeException when nothing was written; the caller must not acknowledge
     */
    void append(List<Event> events);

    /** The highest sequence number written, 0 for an empty log. */
    long lastSeq();

    /** Streams events with {@code seq > afterSeq} in order, optionally of one tenant only (0 = all). */
    void replay(long afterSeq, int tenant, Consumer<Event> sink);
}
