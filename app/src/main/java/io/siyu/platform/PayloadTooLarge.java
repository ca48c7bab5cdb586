package io.siyu.platform;

/** A body or an element of it is over its limit: a 413 problem naming the limit. */
public class PayloadTooLarge extends RuntimeException {

    private final String field;
    private final long limit;

    public PayloadTooLarge(String field, long limit, String message) {
        super(message);
        this.field = field;
        this.limit = limit;
    }

    public String field() {
        return field;
    }

    public long limit() {
        return limit;
    }
}
