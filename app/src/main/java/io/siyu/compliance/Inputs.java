package io.siyu.compliance;

import io.siyu.platform.Caller;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.PayloadTooLarge;
import org.jspecify.annotations.Nullable;

/** Input rules the compliance endpoints share. */
final class Inputs {

    /** The longest text one check accepts, in UTF-16 units (a long article, not a book). */
    static final int MAX_TEXT = 100_000;
    static final int MAX_NAME = 64;
    static final int MAX_LIMIT = 1_000;

    private Inputs() {}

    /** @throws InvalidInput when missing, {@link PayloadTooLarge} when over {@link #MAX_TEXT} */
    static String text(@Nullable String text) {
        if (text == null) {
            throw new InvalidInput("text", "required", "text is required / 缺少 text");
        }
        if (text.length() > MAX_TEXT) {
            throw new PayloadTooLarge("text", MAX_TEXT,
                    "文本过长，最多 " + MAX_TEXT + " 个字符 / text is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    /** @throws InvalidInput unless 1–64 characters without control characters */
    static String name(String field, @Nullable String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput(field, "format",
                    "名称须为 1–" + MAX_NAME + " 个字符且不含控制字符 / names are 1–" + MAX_NAME + " characters without control characters");
        }
        return name;
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit", "range", "limit must be 1–" + MAX_LIMIT);
        }
        return limit;
    }

    static <E extends Enum<E>> E choice(String field, @Nullable String value, Class<E> type) {
        if (value == null) {
            throw new InvalidInput(field, "required", field + " is required / 缺少 " + field);
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new InvalidInput(field, "enum", field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                .toLowerCase(java.util.Locale.ROOT));
    }

    static @Nullable String optionalText(String field, @Nullable String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInput(field, "max-length", field + " is longer than " + max + " characters");
        }
        return value;
    }

    static String who(Caller caller) {
        return switch (caller) {
            case Caller.Admin admin -> "admin";
            case Caller.TenantToken token -> "token:" + token.tokenName();
        };
    }
}
