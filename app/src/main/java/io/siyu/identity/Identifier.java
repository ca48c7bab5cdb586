package io.siyu.identity;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/** One identifier value of one type, e.g. {@code user_id:u-42}. */
public record Identifier(IdentifierType type, String value) {

    public Identifier {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(type.key() + " must not be empty");
        }
    }

    /**
     * Parses {@code type:value}.
     *
     * @throws IllegalArgumentException naming the known types when the prefix is unknown
     */
    public static Identifier parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("identifier must look like type:value, was '" + text + "'");
        }
        String typeKey = text.substring(0, colon);
        IdentifierType type = IdentifierType.fromKey(typeKey).orElseThrow(() -> new IllegalArgumentException(
                "unknown identifier type '" + typeKey + "', expected one of " + Arrays.stream(IdentifierType.values())
                        .map(IdentifierType::key).collect(Collectors.joining(", "))));
        return new Identifier(type, text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type.key() + ":" + value;
    }
}
