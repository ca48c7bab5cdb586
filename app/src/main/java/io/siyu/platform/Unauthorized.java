package io.siyu.platform;

/** Missing or wrong credentials: a 401 problem with the scheme to use. */
public class Unauthorized extends RuntimeException {

    private final String scheme;

    public Unauthorized(String scheme, String message) {
        super(message);
        this.scheme = scheme;
    }

    public String scheme() {
        return scheme;
    }
}
