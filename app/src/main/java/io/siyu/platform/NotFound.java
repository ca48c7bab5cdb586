package io.siyu.platform;

/** The addressed thing does not exist (or is not the caller's to see): a 404 problem. */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
