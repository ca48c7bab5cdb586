package io.siyu.privacy;

import java.util.Set;

/** How personal values are shown to roles that may not see them whole: {@code 138****1234}. */
final class Masks {

    /** Traits that hold personal data and are masked for every role but admin. */
    static final Set<String> PERSONAL_TRAITS = Set.of("phone", "mobile", "email", "name", "real_name", "id_number",
            "id_card", "address", "birthday");

    /** Identifier types whose values are personal; shown masked. */
    static final Set<String> PERSONAL_IDENTIFIERS = Set.of("email", "phone_hash", "phone");

    private Masks() {}

    static String trait(String name, String value) {
        return switch (name) {
            case "phone", "mobile" -> phone(value);
            case "email" -> email(value);
            case "name", "real_name" -> value.isEmpty() ? value : value.substring(0, value.offsetByCodePoints(0, 1)) + "**";
            case "id_number", "id_card" -> keepEnds(value, 3, 4);
            case "address" -> value.codePointCount(0, value.length()) <= 6 ? "******"
                    : value.substring(0, value.offsetByCodePoints(0, 6)) + "******";
            default -> "****";
        };
    }

    /** {@code 13812341234} or {@code +8613812341234} → {@code 138****1234}; an already masked value stays. */
    static String phone(String phone) {
        String local = phone.startsWith("+86") ? phone.substring(3) : phone;
        if (local.contains("****")) {
            return local;
        }
        return local.length() < 7 ? "****" : local.substring(0, 3) + "****" + local.substring(local.length() - 4);
    }

    /** {@code zhang.san@example.com} → {@code z***@example.com}. */
    static String email(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "****" : email.charAt(0) + "***" + email.substring(at);
    }

    /** {@code type:value} with a personal value masked. */
    static String identifier(String typed) {
        int colon = typed.indexOf(':');
        if (colon < 0) {
            return typed;
        }
        String type = typed.substring(0, colon);
        String value = typed.substring(colon + 1);
        return switch (type) {
            case "email" -> type + ":" + (value.indexOf('@') > 0 ? email(value) : keepEnds(value, 4, 0));
            case "phone_hash", "phone" -> type + ":" + keepEnds(value, 4, 0);
            default -> typed;
        };
    }

    private static String keepEnds(String value, int head, int tail) {
        if (value.length() <= head + tail) {
            return "****";
        }
        return value.substring(0, head) + "****" + value.substring(value.length() - tail);
    }
}
