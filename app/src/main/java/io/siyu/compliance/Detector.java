package io.siyu.compliance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A configured risk rule over the event stream, per person, in a sliding window of event time.
 *
 * @param kind      {@link Kind#COUNT}: more than {@code threshold} {@code event}s within the window
 *                  ("> 50 Order Cancelled a day"); {@link Kind#IN_OUT}: at least {@code threshold} fen
 *                  in through {@code event} and at least as much out through {@code outEvent} within the
 *                  window ("large amount in and out within an hour")
 * @param threshold events for COUNT (at most {@value #MAX_COUNT}), fen for IN_OUT
 * @param action    what a detection does to the person
 */
record Detector(String name, Kind kind, String event, @Nullable String outEvent, long threshold, Duration window,
        Action action) {

    static final int MAX_COUNT = 10_000;
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    enum Kind { COUNT, IN_OUT }

    /** What a detection does: listed only, queued for a human, or the person frozen until a human clears the case. */
    enum Action { FLAG, REVIEW, FREEZE }

    Detector {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(action);
        if (threshold <= 0 || kind == Kind.COUNT && threshold > MAX_COUNT) {
            throw new IllegalArgumentException("threshold out of range: " + threshold);
        }
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window out of range: " + window);
        }
        if (kind == Kind.IN_OUT && (outEvent == null || outEvent.equals(event))) {
            throw new IllegalArgumentException("an in/out rule needs a different outEvent");
        }
        if (kind == Kind.COUNT) {
            outEvent = null;
        }
    }

    long windowMillis() {
        return window.toMillis();
    }

    void write(DataOutput out) throws IOException {
        out.writeUTF(name);
        out.writeByte(kind.ordinal());
        out.writeUTF(event);
        out.writeUTF(outEvent == null ? "" : outEvent);
        out.writeLong(threshold);
        out.writeLong(window.toMillis());
        out.writeByte(action.ordinal());
    }

    static Detector read(DataInput in) throws IOException {
        String name = in.readUTF();
        Kind kind = Kind.values()[in.readByte()];
        String event = in.readUTF();
        String outEvent = in.readUTF();
        return new Detector(name, kind, event, outEvent.isEmpty() ? null : outEvent, in.readLong(),
                Duration.ofMillis(in.readLong()), Action.values()[in.readByte()]);
    }
}
