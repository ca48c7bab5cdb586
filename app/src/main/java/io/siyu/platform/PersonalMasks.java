package io.siyu.platform;

/**
 * How personal values are shown to people who may not see them whole: {@code 138****1234},
 * {@code z***@example.com}, {@code 110****002X}, {@code 上海市浦东新******}. Plain string work, no
 * regular expressions: masking sits on every profile read. Ingestion stores the mask beside a
 * sealed value so that reading it masked needs no decryption.
 */
public final class PersonalMasks {

    private PersonalMasks() {}

    /** {@code 13812341234} or {@code +8613812341234} → {@code 138****1234}; an already masked value stays. */
    public static String phone(String phone) {
        String local = phone.startsWith("+86") ? phone.substring(3) : phone;
        if (local.contains("****")) {
            return local;
        }
        return local.length() < 7 ? "****" : local.substring(0, 3) + "****" + local.substring(local.length() - 4);
    }

    /** {@code zhang.san@example.com} → {@code z***@example.com}. */
    public static String email(String email) {
        int at = email.indexOf('@');
        return at <= 0 ? "****" : email.charAt(0) + "***" + email.substring(at);
    }

    /** An ID number keeps its first 3 and last 4 characters: {@code 110****002X}. */
    public static String idNumber(String id) {
        return keepEnds(id, 3, 4);
    }

    /** An address keeps its first 6 characters (the city and district): {@code 上海市浦东新******}. */
    public static String address(String address) {
        return address.codePointCount(0, address.length()) <= 6 ? "******"
                : address.substring(0, address.offsetByCodePoints(0, 6)) + "******";
    }

    /** A name keeps its first character: {@code 王**}. */
    public static String name(String name) {
        return name.isEmpty() ? name : name.substring(0, name.offsetByCodePoints(0, 1)) + "**";
    }

    /** {@code value} with all but {@code head} leading and {@code tail} trailing characters hidden. */
    public static String keepEnds(String value, int head, int tail) {
        if (value.length() <= head + tail) {
            return "****";
        }
        return value.substring(0, head) + "****" + value.substring(value.length() - tail);
    }
}
