package io.siyu.segment.condition;

import java.util.List;

/**
 * A condition text that does not parse, pointing at where it went wrong, e.g.
 * {@code 1:27: expected a number or string after '>=' but found 'and'}.
 */
public final class ConditionSyntaxError extends RuntimeException {

    private final int line;
    private final int column;
    private final List<String> expected;

    ConditionSyntaxError(int line, int column, List<String> expected, String detail) {
        super(line + ":" + column + ": " + detail);
        this.line = line;
        this.column = column;
        this.expected = List.copyOf(expected);
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column, in characters (code points) from the start of the line. */
    public int column() {
        return column;
    }

    /** What would have been accepted at that point (e.g. {@code number}, {@code string}, {@code ')'}); empty for limit errors. */
    public List<String> expected() {
        return expected;
    }
}
