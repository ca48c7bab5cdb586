package io.siyu.ingestion.imports;

import io.siyu.identity.IdentifierType;
import io.siyu.platform.InvalidInput.Violation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one line of a JSON Lines file as a Segment message. An event line is a Segment message as
 * the HTTP API takes it ({@code type} may be left out when {@code event} is given). A profile line
 * is {@code {"userId": ..., "phone": ..., "identities": {...}, "traits": {...}}} and becomes an
 * identify call: identifier types at the top level or under {@code identities} go to
 * {@code context.identities}, where the normaliser hashes phones.
 */
final class JsonLines implements RowConverter {

    private static final Set<String> PROFILE_FIELDS = Set.of("userId", "anonymousId", "messageId", "timestamp", "traits",
            "context");

    private final JsonMapper json;
    private final Kind kind;

    JsonLines(JsonMapper json, Kind kind) {
        this.json = json;
        this.kind = kind;
    }

    @Override
    public Conversion convert(Row row) {
        if (!(row instanceof Row.Line line)) {
            throw new IllegalArgumentException("JSON Lines are read line by line, not as " + row.getClass().getSimpleName());
        }
        JsonNode node;
        try {
            node = json.readTree(line.raw());
        } catch (JacksonException e) {
            return new Conversion.Refused(new Violation("line", "json", "not valid JSON: " + firstLine(e.getOriginalMessage())));
        }
        if (!(node instanceof ObjectNode message)) {
            return new Conversion.Refused(new Violation("line", "type", "each line must be a JSON object"));
        }
        return kind == Kind.EVENTS ? event(message) : profile(message);
    }

    private static Conversion event(ObjectNode message) {
        if (!message.has("type") && message.has("event")) {
            message.put("type", "track");
        }
        return new Conversion.Converted(message);
    }

    private Conversion profile(ObjectNode line) {
        ObjectNode message = json.createObjectNode();
        message.put("type", "identify");
        ObjectNode identities = json.createObjectNode();
        for (Map.Entry<String, JsonNode> field : line.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            Optional<IdentifierType> identifierType = IdentifierType.fromKey(name);
            if (PROFILE_FIELDS.contains(name)) {
                message.set(name, value);
            } else if (name.equals("identities") && value.isObject()) {
                value.properties().forEach(e -> identities.set(e.getKey(), e.getValue()));
            } else if (name.equals("identities")) {
                return new Conversion.Refused(new Violation("identities", "type", "identities must be an object"));
            } else if (name.equals("type")) {
                if (!value.isString() || !value.stringValue().equals("identify")) {
                    return new Conversion.Refused(new Violation("type", "enum",
                            "a profile line is an identify call; leave type out or make it \"identify\""));
                }
            } else if (identifierType.isPresent()) {
                identities.set(identifierType.get().key(), value);
            } else {
                return new Conversion.Refused(new Violation(name, "unknown", "a profile line holds userId, anonymousId, "
                        + "identifier types (phone, email, wecom_external_userid, unionid, openid), identities, traits, "
                        + "messageId and timestamp; put '" + abbreviate(name) + "' under traits"));
            }
        }
        if (!identities.isEmpty()) {
            JsonNode context = message.get("context");
            if (context != null && !context.isObject()) {
                return new Conversion.Refused(new Violation("context", "type", "context must be an object"));
            }
            ObjectNode target = context instanceof ObjectNode c ? c : message.putObject("context");
            if (target.get("identities") instanceof ObjectNode existing) {
                existing.setAll(identities);
            } else {
                target.set("identities", identities);
            }
        }
        return new Conversion.Converted(message);
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "unreadable";
        }
        int newline = s.indexOf('\n');
        return abbreviate(newline > 0 ? s.substring(0, newline) : s);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
