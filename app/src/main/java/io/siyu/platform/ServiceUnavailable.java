package io.siyu.platform;

/** Temporarily unable to accept work (e.g. the engine is saturated): a 503 with Retry-After. */
public class ServiceUnavailable extends RuntimeException {

    private final int retryAfterSeconds;

    public ServiceUnavailable(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
