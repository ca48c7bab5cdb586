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

    /**
     * A group written into an open transaction, not yet committed: the log writer commits it on
     * another thread while it writes the next group. Exactly one of {@link #commit} and
     * {@link #abort} is called.
     */
    interface Pending {
        /**
         * Makes the group durable.
         *
         * @throws RuntimeException when the commit failed or its outcome is unknown
         */
        void commit();

        /** Rolls the group back; it was never committed. */
        void abort();
    }

    /**
     * Starts writing a group; nothing is durable until {@link Pending#commit}. By default the whole
     * {@link #append} happens at commit.
     *
     * @throws RuntimeException when the group could not be written; nothing was committed
     */
    default Pending write(List<Event> events) {
        return new Pending() {
            @Override
            public void commit() {
                append(events);
            }

            @Override
            public void abort() {}
        };
    }

    /** The highest sequence number written, 0 for an empty log. */
    long lastSeq();

    /** Streams events with {@code seq > afterSeq} in order, optionally of one tenant only (0 = all). */
    void replay(long afterSeq, int tenant, Consumer<Event> sink);
}
