package io.siyu.segment.condition;

/** A JSON condition that does not describe a condition; the message starts with the JSON path, e.g. {@code and[1].compare.op: ...}. */
public final class ConditionJsonError extends RuntimeException {

    private final String path;

    ConditionJsonError(String path, String detail) {
        super(path + ": " + detail);
        this.path = path;
    }

    /** Where in the document, e.g. {@code and[1].compare.op}; {@code $} for the document itself. */
    public String path() {
        return path;
    }
}
