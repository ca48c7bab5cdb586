package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import org.jspecify.annotations.Nullable;

/** Input checks shared by the channel endpoints. */
final class Names {

    static final int MAX_NAME = 64;

    private Names() {}

    /** A name: 1–64 characters, letters (any script), digits, {@code _ - .}. */
    static String require(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "required", field + " is required / 必填");
        }
        if (value.length() > MAX_NAME) {
            throw new InvalidInput(field, "max-length", field + " must be at most " + MAX_NAME + " characters");
        }
        if (!value.matches("[\\p{L}\\p{N}_.\\-]+")) {
            throw new InvalidInput(field, "pattern", field + " may hold letters, digits, '_', '-' and '.' only");
        }
        return value;
    }

    static String text(String field, @Nullable String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInput(field, "required", field + " is required / 必填");
        }
        if (value.length() > max) {
            throw new InvalidInput(field, "max-length", field + " must be at most " + max + " characters");
        }
        return value;
    }

    static void limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidInput("limit", "range", "limit must be between 1 and " + max);
        }
    }
}
