package io.siyu.privacy;

/** Too many attempts or requests: a 429 problem with {@code Retry-After}. */
class TooManyRequests extends RuntimeException {

    private final long retryAfterSeconds;

    TooManyRequests(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
