package io.siyu.journey.runtime;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One person's place in one journey: the version they entered (they stay on it), the node they are
 * at, and the deadline of the wait they are in. {@code entry} and {@code step} count entries and
 * node arrivals, which makes every action id deterministic: the same step after a crash gets the
 * same id, so the outbox and the providers recognise it.
 */
final class Enrollment {

    final int journey;
    final int version;
    final int person;
    final int entry;
    final long enteredAt;
    final @Nullable Map<String, String> vars;
    int node;
    int step;
    /** Epoch ms the current wait ends, or -1 when not waiting. */
    long deadline = -1;

    Enrollment(int journey, int version, int person, int entry, long enteredAt, @Nullable Map<String, String> vars) {
        this.journey = journey;
        this.version = version;
        this.person = person;
        this.entry = entry;
        this.enteredAt = enteredAt;
        this.vars = vars;
    }

    static long key(int journey, int person) {
        return (long) journey << 32 | (person & 0xFFFF_FFFFL);
    }

    long key() {
        return key(journey, person);
    }
}
