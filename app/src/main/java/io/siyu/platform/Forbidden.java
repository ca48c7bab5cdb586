package io.siyu.platform;

/** The caller is authenticated but may not do this: a 403 problem. */
public class Forbidden extends RuntimeException {
    public Forbidden(String message) {
        super(message);
    }
}
