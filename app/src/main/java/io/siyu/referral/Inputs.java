package io.siyu.referral;

import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.PayloadTooLarge;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** How the referral API reads and checks what it is sent; every failure names the field and the rule. */
final class Inputs {

    /** Bodies are small: a campaign definition is the largest. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private Inputs() {}

    static <T> T body(JsonMapper json, @Nullable String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput("body", "required", "请求体不能为空 / the body is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new PayloadTooLarge("body", MAX_BODY_BYTES, "请求体最大 16 KiB / the body is at most 16 KiB");
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw new InvalidInput("body", "json", "不是有效的 JSON 对象 / the body is not a JSON object of the expected shape");
        }
    }

    static String id(String field, @Nullable String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidInput(field, "format", field + " 须为 1–64 个小写字母、数字、- 或 _ / " + field
                    + " must be 1–64 of a-z, 0-9, - and _, starting with a letter or digit");
        }
        return value;
    }

    static String text(String field, @Nullable String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "required", field + " 不能为空 / " + field + " is required");
        }
        if (value.length() > max || value.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidInput(field, "length", field + " 最多 " + max + " 个字符且不含控制字符 / " + field + " is at most " + max
                    + " characters without control characters");
        }
        return value;
    }

    static @Nullable String optionalText(String field, @Nullable String value, int max) {
        return value == null ? null : text(field, value, max);
    }

    static Instant instant(String field, @Nullable String value) {
        if (value == null) {
            throw new InvalidInput(field, "required", field + " 不能为空 / " + field + " is required (ISO-8601, e.g. 2026-12-01T00:00:00Z)");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(field, "format", field + " 须为 ISO-8601 时间 / " + field + " must be an ISO-8601 instant such as "
                    + "2026-12-01T00:00:00Z");
        }
    }

    static Identifier identifier(String field, @Nullable String value) {
        String text = text(field, value, 200);
        try {
            return Identifier.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, "format", e.getMessage());
        }
    }

    /** An identifier that events and coupons can name the person by: anything but a phone. */
    static Identifier nameable(String field, @Nullable String value) {
        Identifier identifier = identifier(field, value);
        if (identifier.type() == IdentifierType.PHONE_HASH) {
            throw new InvalidInput(field, "nameable", "请用 user_id、unionid 等标识，不要用手机号 / name the person by user_id, unionid, "
                    + "wecom_external_userid, openid, email or anonymous_id: rewards are issued to it, and a phone is kept only as a hash");
        }
        return identifier;
    }

    static @Nullable String device(@Nullable String value) {
        return optionalText("device", value, 128);
    }

    static String code(String field, String value) {
        if (!ShareCode.isWellFormed(value)) {
            throw new InvalidInput(field, "format", "分享码为 10 位 / a share code is 10 characters of A-Z (no I, O) and 2-9");
        }
        return value;
    }

    /** {@code user_id:u-12345} becomes {@code user_id:u-***45}: enough to recognise a friend, not to look them up. */
    static String mask(String identifier) {
        int colon = identifier.indexOf(':');
        String type = identifier.substring(0, colon + 1);
        String value = identifier.substring(colon + 1);
        if (value.length() <= 4) {
            return type + "***";
        }
        int keep = Math.min(3, value.length() / 4);
        return type + value.substring(0, keep) + "***" + value.substring(value.length() - 2);
    }
}
