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
     * A write to other tables that must commit together with the events it accompanies, or not at
     * all (coupon rows and their Coupon Claimed events: one transaction, one fsync).
     */
    @FunctionalInterface
    interface Attached {
        void write(java.sql.Connection connection) throws java.sql.SQLException;
    }

    /**
     * Like {@link #append(List)}, with {@code attached} writes in the same transaction before the
     * events. A log that cannot write other tables in its transaction refuses attached writes.
     *
     * @throws RuntimeException when nothing was written (an attached write that fails fails the whole append)
     */
    default void append(List<Event> events, List<Attached> attached) {
        if (!attached.isEmpty()) {
            throw new UnsupportedOperationException("this event log cannot write other tables in its transaction");
        }
        append(events);
    }

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

    /**
     * {@link #write(List)} with attached writes in the same transaction. By default the whole
     * {@link #append(List, List)} happens at commit, so a failing attached write fails the commit.
     *
     * @throws RuntimeException when the group could not be written; nothing was committed
     */
    default Pending write(List<Event> events, List<Attached> attached) {
        if (attached.isEmpty()) {
            return write(events);
        }
        return new Pending() {
            @Override
            public void commit() {
                append(events, attached);
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
