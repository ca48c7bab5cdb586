package io.siyu.journey;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON text of the flat maps a journey step carries (an action's rendered parameters, the
 * person's template context, an entry's event variables): one object of strings, whole numbers,
 * booleans and nulls, written straight into UTF-8 bytes. Anything else (a nested value, a
 * fraction) goes through Jackson. A million outbox rows are two million of these, and Jackson's
 * generator set-up per map was a third of the journal writer's time.
 */
final class FlatJson {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private FlatJson() {}

    static byte[] bytes(Map<String, ?> map, JsonMapper fallback) {
        if (map.isEmpty()) {
            return new byte[] {'{', '}'};
        }
        for (Object value : map.values()) {
            if (!(value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                    || value instanceof Long || value instanceof Short || value instanceof Byte)) {
                return fallback.writeValueAsBytes(map);
            }
        }
        StringBuilder out = new StringBuilder(32 * map.size());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            Object value = e.getValue();
            if (value instanceof String s) {
                string(out, s);
            } else {
                out.append(value); // null, a boolean or a whole number: its Java text is its JSON text
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String text(Map<String, ?> map, JsonMapper fallback) {
        return new String(bytes(map, fallback), StandardCharsets.UTF_8);
    }

    /**
     * A JSON string: quotes, backslashes and control characters escaped; the rest as it is (UTF-8 on
     * the way out, where a lone surrogate becomes '?'). Not {@code ConditionText.quote}: that one
     * writes a lone surrogate as a backslash-u escape, which PostgreSQL's jsonb refuses, and a
     * refused outbox row would hold the journal writer in its retry loop.
     */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append((char) HEX[c >> 4]).append((char) HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
