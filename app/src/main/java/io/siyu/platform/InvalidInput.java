package io.siyu.platform;

import java.util.List;

/**
 * Bad input, answered with a 400 problem that names each offending field and the rule it broke.
 */
public class InvalidInput extends RuntimeException {

    /** One broken rule: {@code field} is a JSON pointer-ish path such as {@code batch[3].event}. */
    public record Violation(String field, String rule, String message) {}

    private final List<Violation> violations;

    public InvalidInput(String field, String rule, String message) {
        this(List.of(new Violation(field, rule, message)));
    }

    public InvalidInput(List<Violation> violations) {
        super(violations.isEmpty() ? "invalid input" : violations.getFirst().message());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
