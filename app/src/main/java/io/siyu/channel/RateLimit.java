package io.siyu.channel;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket: {@code perSecond} calls a second with bursts up to the same number. Callers that
 * find it empty do not wait; they are told how long until the next token, so a send can be
 * rescheduled by the outbox instead of holding a thread.
 */
final class RateLimit {

    private final Clock clock;
    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long last;

    RateLimit(int perSecond, Clock clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, was " + perSecond);
        }
        this.clock = clock;
        this.perMilli = perSecond / 1000.0;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.last = clock.millis();
    }

    /** Takes a token, or answers how long until one is free (and takes none). */
    synchronized Duration take() {
        long now = clock.millis();
        tokens = Math.min(capacity, tokens + (now - last) * perMilli);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli));
    }
}
