package io.siyu.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An official-account message as a Siyu template describes it. The template's subject names the
 * WeChat template, {@code template:<template_id>} (模板消息) or {@code subscribe:<template_id>}
 * (订阅通知, sent with {@code subscribe/bizsend}); each body line is one data field,
 * {@code keyword1: {{order_no}}}, and the line {@code url: https://…} is the link the message opens.
 * Variables are rendered with line breaks flattened, so a value cannot add a field.
 */
record MpMessage(Kind kind, String templateId, @Nullable String url, Map<String, String> data) {

    enum Kind { TEMPLATE, SUBSCRIBE }

    private static final Pattern TEMPLATE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    /** WeChat refuses longer values; 200 is the longest any template field type takes. */
    static final int MAX_VALUE = 200;

    /** @throws IllegalArgumentException naming what is wrong */
    static Kind kindOf(@Nullable String subject) {
        if (subject == null) {
            throw new IllegalArgumentException("wechat-mp templates need a subject 'template:<template_id>' or 'subscribe:<template_id>'");
        }
        int colon = subject.indexOf(':');
        String prefix = colon < 0 ? "" : subject.substring(0, colon);
        Kind kind = switch (prefix) {
            case "template" -> Kind.TEMPLATE;
            case "subscribe" -> Kind.SUBSCRIBE;
            default -> throw new IllegalArgumentException("wechat-mp subject must be 'template:<template_id>' or 'subscribe:<template_id>', was '"
                    + subject + "'");
        };
        if (!TEMPLATE_ID.matcher(subject.substring(colon + 1)).matches()) {
            throw new IllegalArgumentException("wechat-mp template id must be 1–128 letters, digits, '_' or '-'");
        }
        return kind;
    }

    /** Reads a rendered subject and body; @throws IllegalArgumentException naming the bad line. */
    static MpMessage parse(@Nullable String subject, String body) {
        Kind kind = kindOf(subject);
        Map<String, String> data = new LinkedHashMap<>();
        String url = null;
        int number = 0;
        for (String line : body.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if (!FIELD.matcher(name).matches()) {
                throw new IllegalArgumentException("wechat-mp body line " + number + " must be 'field: value', e.g. 'keyword1: {{order_no}}'");
            }
            String value = line.substring(colon + 1).trim();
            if (value.length() > MAX_VALUE) {
                throw new IllegalArgumentException("wechat-mp field " + name + " is " + value.length() + " characters, more than " + MAX_VALUE);
            }
            if (name.equals("url")) {
                if (!Tracking.isWebUrl(value)) {
                    throw new IllegalArgumentException("wechat-mp url must be an http(s) URL");
                }
                url = value;
            } else if (data.put(name, value) != null) {
                throw new IllegalArgumentException("wechat-mp field " + name + " appears twice");
            }
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("wechat-mp body names no field");
        }
        return new MpMessage(kind, subject.substring(subject.indexOf(':') + 1), url, Collections.unmodifiableMap(data));
    }
}
