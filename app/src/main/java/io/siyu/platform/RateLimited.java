package io.siyu.platform;

/** A caller over its request rate (e.g. a write key's): a 429 problem with {@code Retry-After}. */
public class RateLimited extends RuntimeException {

    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
