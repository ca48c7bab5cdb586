package io.siyu.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of sandboxes and tests ({@code SIYU_CLOCK=simulated}): real time plus an offset that
 * only grows. Time keeps flowing, so everything that measures intervals still works; an operator
 * moves it forward with {@code POST /api/v1/admin/clock/advance} and the journeys fire what fell due.
 */
public final class SimulatedClock extends Clock {

    private final AtomicLong offsetMs = new AtomicLong();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC; convert instants instead");
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    /**
     * Moves time forward.
     *
     * @throws IllegalArgumentException for a negative duration: time never goes back
     */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        offsetMs.addAndGet(by.toMillis());
        return instant();
    }
}
