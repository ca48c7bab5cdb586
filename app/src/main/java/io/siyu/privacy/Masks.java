package io.siyu.privacy;

import io.siyu.platform.PersonalMasks;
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
            case "phone", "mobile" -> PersonalMasks.phone(value);
            case "email" -> PersonalMasks.email(value);
            case "name", "real_name" -> PersonalMasks.name(value);
            case "id_number", "id_card" -> PersonalMasks.idNumber(value);
            case "address" -> PersonalMasks.address(value);
            default -> "****";
        };
    }

    static String phone(String phone) {
        return PersonalMasks.phone(phone);
    }

    static String email(String email) {
        return PersonalMasks.email(email);
    }

    /** {@code type:value} with a personal value masked. */
    static String identifier(String typed) {
        if (!(typed.startsWith("email:") || typed.startsWith("phone:") || typed.startsWith("phone_hash:"))) {
            return typed; // the common case, without splitting the string
        }
        int colon = typed.indexOf(':');
        String type = typed.substring(0, colon);
        String value = typed.substring(colon + 1);
        return switch (type) {
            case "email" -> type + ":" + (value.indexOf('@') > 0 ? email(value) : keepEnds(value, 4, 0));
            case "phone_hash", "phone" -> type + ":" + keepEnds(value, 4, 0);
            default -> typed;
        };
    }

    private static String keepEnds(String value, int head, int tail) {
        return PersonalMasks.keepEnds(value, head, tail);
    }
}
