package io.siyu.ingestion;

import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.identity.PersonalIdentifiers;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.PersonalMasks;
import io.siyu.platform.TenantId;
import io.siyu.profile.Traits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one Segment-spec message into an engine {@link Event}, or into the list of rules it breaks.
 *
 * <p>Identifiers come from {@code userId}, {@code anonymousId}, identify traits {@code email} and
 * {@code phone}, and Siyu's extension {@code context.identities}: an object whose keys are
 * identifier types ({@code wecom_external_userid}, {@code unionid}, {@code openid} as
 * {@code appId:openid}, {@code phone}, {@code email}). Phones are normalised, then kept only as a
 * keyed hash (the identifier), a mask (the trait) and AES-GCM ciphertext (sealed in the log).
 * E-mail addresses become a keyed hash (the identifier) and a {@link FieldCipher#sealText sealed}
 * trait; ID numbers ({@code id_number}, {@code id_card}) and {@code address} are sealed traits, so
 * none of the four is in the log, the profile or a snapshot in clear.
 *
 * <p>Time follows Segment: with {@code sentAt}, {@code timestamp = receivedAt − (sentAt −
 * originalTimestamp)} corrects a skewed device clock.
 */
@Component
public class Normaliser {

    static final int MAX_MESSAGE_ID = 200;
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_EVENT_NAME = 200;
    static final int MAX_CATEGORIES = 20;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().]");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");

    /** Either an event or why not. */
    public sealed interface Outcome {
        record Accepted(Event event) implements Outcome {}

        record Rejected(String eventName, String messageId, List<Violation> violations) implements Outcome {}
    }

    /** Traits that hold an identity-card number (身份证号); sealed like e-mail and address. */
    static final Set<String> ID_NUMBER_TRAITS = Set.of("id_number", "id_card");

    private final FieldCipher cipher;
    private final PersonalIdentifiers personal;
    private final JsonMapper json;

    public Normaliser(FieldCipher cipher, JsonMapper json) {
        this.cipher = cipher;
        this.personal = new PersonalIdentifiers(cipher);
        this.json = json;
    }

    /** The cipher that seals personal fields, for callers that batch its key creation. */
    FieldCipher cipher() {
        return cipher;
    }

    /**
     * @param message the message object
     * @param type the call, from the path or the message's {@code type}
     * @param path how to name the message in errors ("" for a single message, "batch[3]" in a batch)
     * @param batchSentAt {@code sentAt} of the enclosing batch, if any
     * @param channel the channel to record when the message's context does not name one
     */
    public Outcome normalise(TenantId tenant, JsonNode message, @Nullable String type, String path, long receivedAt,
            @Nullable Instant batchSentAt, String channel) {
        String p = path.isEmpty() ? "" : path + ".";
        List<Violation> violations = new ArrayList<>();
        if (!message.isObject()) {
            return new Outcome.Rejected("", "", List.of(new Violation(path.isEmpty() ? "body" : path, "type",
                    "a message must be a JSON object")));
        }
        String kindName = type != null ? type : text(message, "type");
        EventKind kind = kindOf(kindName);
        if (kind == null) {
            violations.add(new Violation(p + "type", kindName == null ? "required" : "enum",
                    "type must be one of track, identify, page, screen, group, alias"
                            + (kindName == null ? "" : "; was '" + abbreviate(kindName) + "'")));
        }
        String messageId = text(message, "messageId");
        if (messageId != null && (messageId.isEmpty() || messageId.length() > MAX_MESSAGE_ID)) {
            violations.add(new Violation(p + "messageId", "length", "messageId must be 1–" + MAX_MESSAGE_ID + " characters"));
        }
        String name = "";
        if (kind == EventKind.TRACK) {
            String event = text(message, "event");
            if (event == null || event.isBlank()) {
                violations.add(new Violation(p + "event", "required", "a track call needs the event name in 'event'"));
            } else if (event.length() > MAX_EVENT_NAME) {
                violations.add(new Violation(p + "event", "length", "event names are at most " + MAX_EVENT_NAME + " characters"));
            } else {
                name = event;
            }
        } else if (kind == EventKind.PAGE || kind == EventKind.SCREEN) {
            String n = text(message, "name");
            name = n == null ? "" : abbreviate(n, MAX_EVENT_NAME);
        } else if (kind == EventKind.GROUP) {
            String groupId = text(message, "groupId");
            if (groupId == null || groupId.isBlank()) {
                violations.add(new Violation(p + "groupId", "required", "a group call needs 'groupId'"));
            }
            name = groupId == null ? "" : groupId;
        } else if (kind == EventKind.ALIAS) {
            String previousId = text(message, "previousId");
            if (previousId == null || previousId.isBlank()) {
                violations.add(new Violation(p + "previousId", "required", "an alias call needs 'previousId'"));
            }
        }
        JsonNode properties = message.path("properties");
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            violations.add(new Violation(p + "properties", "type", "properties must be an object"));
            properties = json.createObjectNode();
        }
        if (properties.isMissingNode() || properties.isNull()) {
            properties = json.createObjectNode();
        }
        JsonNode traitsNode = message.path("traits");
        if (!traitsNode.isMissingNode() && !traitsNode.isNull() && !traitsNode.isObject()) {
            violations.add(new Violation(p + "traits", "type", "traits must be an object"));
            traitsNode = json.createObjectNode();
        }
        JsonNode context = message.path("context");
        if (!context.isMissingNode() && !context.isNull() && !context.isObject()) {
            violations.add(new Violation(p + "context", "type", "context must be an object"));
            context = json.createObjectNode();
        }
        if (kind == EventKind.TRACK && !name.isEmpty()) {
            violations.addAll(EventDictionary.validate(name, properties, path));
        }

        List<Event.Sealed> sealed = new ArrayList<>();
        Traits traits = new Traits();
        Set<Identifier> identifiers = new LinkedHashSet<>();
        addId(identifiers, violations, IdentifierType.USER_ID, textOrNumber(message, "userId"), p + "userId");
        addId(identifiers, violations, IdentifierType.ANONYMOUS_ID, textOrNumber(message, "anonymousId"), p + "anonymousId");
        if (kind == EventKind.ALIAS) {
            String previousId = textOrNumber(message, "previousId");
            addId(identifiers, violations, IdentifierType.ANONYMOUS_ID, previousId, p + "previousId");
        }
        JsonNode identities = context.path("identities");
        if (identities.isObject()) {
            for (Map.Entry<String, JsonNode> entry : identities.properties()) {
                String field = p + "context.identities." + entry.getKey();
                IdentifierType idType = IdentifierType.fromKey(entry.getKey()).orElse(null);
                if (idType == null) {
                    violations.add(new Violation(field, "enum", "unknown identifier type '" + abbreviate(entry.getKey()) + "'"));
                    continue;
                }
                String value = entry.getValue().isString() || entry.getValue().isNumber() ? entry.getValue().asString() : null;
                if (value == null) {
                    violations.add(new Violation(field, "type", "identifier values must be strings"));
                    continue;
                }
                if (idType == IdentifierType.PHONE_HASH) {
                    phone(tenant, value, field, identifiers, traits, sealed, violations);
                } else if (idType == IdentifierType.EMAIL) {
                    email(tenant, value, field, identifiers, traits, violations);
                } else {
                    addId(identifiers, violations, idType, value, field);
                }
            }
        } else if (!identities.isMissingNode() && !identities.isNull()) {
            violations.add(new Violation(p + "context.identities", "type", "context.identities must be an object"));
        }
        String address = null;
        if (traitsNode.isObject()) {
            for (Map.Entry<String, JsonNode> entry : traitsNode.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                String field = p + "traits." + key;
                if (key.isEmpty() || key.length() > 100) {
                    violations.add(new Violation(field, "length", "trait names are 1–100 characters"));
                } else if (key.equals("phone") && value.isString()) {
                    phone(tenant, value.stringValue(), field, identifiers, traits, sealed, violations);
                } else if (key.equals("email") && value.isString()) {
                    email(tenant, value.stringValue(), field, identifiers, traits, violations);
                } else if (ID_NUMBER_TRAITS.contains(key) && value.isString()) {
                    String id = value.stringValue().trim().toUpperCase(Locale.ROOT);
                    traits.set(key, id.isEmpty() ? null : cipher.sealText(tenant,
                            "id_number:" + cipher.blindIndex(tenant, "id_number", id), id, PersonalMasks.idNumber(id)));
                } else if (key.equals("address") && (value.isString() || value.isObject())) {
                    address = value.isString() ? value.stringValue() : value.toString();
                } else {
                    traits.setRaw(key, traitValue(value));
                }
            }
        }
        if (address != null && !address.isBlank()) {
            traits.set("address", cipher.sealText(tenant, "address:" + addressIndex(tenant, identifiers, address), address,
                    PersonalMasks.address(address)));
        }
        if (identifiers.isEmpty() && violations.isEmpty()) {
            violations.add(new Violation(p + "userId", "required",
                    "every message needs userId or anonymousId (or an identifier in context.identities)"));
        }

        long timestamp = receivedAt;
        Instant sentAt = instant(message, "sentAt", p, violations);
        if (sentAt == null) {
            sentAt = batchSentAt;
        }
        Instant original = instant(message, "timestamp", p, violations);
        if (original == null) {
            original = instant(message, "originalTimestamp", p, violations);
        }
        if (original != null) {
            timestamp = sentAt != null ? receivedAt - (sentAt.toEpochMilli() - original.toEpochMilli()) : original.toEpochMilli();
        }
        if (!violations.isEmpty() || kind == null) {
            return new Outcome.Rejected(name, messageId == null ? "" : messageId, violations);
        }
        long revenue = -1;
        for (String moneyField : new String[] {"revenue", "total", "value"}) {
            JsonNode money = properties.get(moneyField);
            if (money != null && (money.isNumber() || money.isString() && EventDictionary.isDecimal(money.stringValue()))) {
                revenue = new BigDecimal(money.asString()).movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
                break;
            }
        }
        List<String> categories = new ArrayList<>();
        addCategory(categories, properties.get("category"));
        JsonNode products = properties.get("products");
        if (products != null && products.isArray()) {
            for (JsonNode product : products) {
                addCategory(categories, product.get("category"));
            }
        }
        String orderId = textOrNumber(properties, "order_id");
        String eventChannel = firstText(context, "channel");
        if (eventChannel == null) {
            eventChannel = channel;
        }
        String source = firstText(context.path("campaign"), "source");
        if (source == null && "WeCom Contact Added".equals(name)) {
            source = text(properties, "state");
        }
        if (messageId == null) {
            messageId = "siyu-" + UUID.randomUUID(); // no id, no dedupe: Segment's libraries always send one
        }
        return new Outcome.Accepted(new Event(tenant.value(), 0, kind, name, timestamp, receivedAt, messageId,
                List.copyOf(identifiers), traits, revenue, orderId, categories, eventChannel == null ? null : abbreviate(eventChannel, 50),
                source == null ? null : abbreviate(source, 100), sealed, bytes(properties), bytes(stripIdentities(context))));
    }

    private void phone(TenantId tenant, String raw, String field, Set<Identifier> identifiers, Traits traits,
            List<Event.Sealed> sealed, List<Violation> violations) {
        String phone = normalisePhone(raw);
        if (phone == null) {
            violations.add(new Violation(field, "format",
                    "phone must be a mainland mobile number (11 digits starting with 1, optional +86) or +<country><number>"));
            return;
        }
        String index = cipher.blindIndex(tenant, "phone", phone);
        identifiers.add(new Identifier(IdentifierType.PHONE_HASH, index));
        traits.set("phone", mask(phone));
        // under the phone's own data key, so erasing the person crypto-shreds every logged copy
        sealed.add(new Event.Sealed("phone", cipher.sealPersonal(tenant, "phone:" + index, phone)));
    }

    private void email(TenantId tenant, String raw, String field, Set<Identifier> identifiers, Traits traits,
            List<Violation> violations) {
        String email = PersonalIdentifiers.normaliseEmail(raw);
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            violations.add(new Violation(field, "format", "email must look like name@domain.tld"));
            return;
        }
        Identifier id = personal.email(tenant, email);
        identifiers.add(id);
        // sealed under this e-mail's own data key: erasure shreds it, rotation re-wraps it
        traits.set("email", cipher.sealText(tenant, "email:" + id.value(), email, PersonalMasks.email(email)));
    }

    /**
     * The data key of an address belongs to the address and the person's identifiers in this
     * message, not to the address alone: members of one household at one address are erased apart.
     */
    private String addressIndex(TenantId tenant, Set<Identifier> identifiers, String address) {
        StringBuilder owner = new StringBuilder();
        identifiers.stream().map(Identifier::toString).sorted().forEach(id -> owner.append(id).append('\n'));
        return cipher.blindIndex(tenant, "address", owner + "\u0000" + address);
    }

    /** Normalises to +86 mainland form (11 digits) or E.164; null when it is not a phone number. */
    static @Nullable String normalisePhone(String raw) {
        String digits = SEPARATORS.matcher(raw).replaceAll("");
        if (digits.startsWith("+86")) {
            digits = digits.substring(3);
        } else if (digits.startsWith("0086")) {
            digits = digits.substring(4);
        } else if (digits.startsWith("+")) {
            return E164.matcher(digits).matches() ? digits : null;
        }
        return MAINLAND_MOBILE.matcher(digits).matches() ? "+86" + digits : null;
    }

    /** {@code +8613812341234} → {@code 138****1234}. */
    static String mask(String phone) {
        String local = phone.startsWith("+86") ? phone.substring(3) : phone;
        if (local.length() < 7) {
            return "****";
        }
        return local.substring(0, 3) + "****" + local.substring(local.length() - 4);
    }

    private static void addId(Set<Identifier> ids, List<Violation> violations, IdentifierType type, @Nullable String value,
            String field) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (value.length() > MAX_ID_LENGTH) {
            violations.add(new Violation(field, "length", field + " is at most " + MAX_ID_LENGTH + " characters"));
            return;
        }
        ids.add(new Identifier(type, value));
    }

    private static void addCategory(List<String> categories, @Nullable JsonNode node) {
        if (node != null && node.isString() && !node.stringValue().isBlank() && categories.size() < MAX_CATEGORIES) {
            String category = abbreviate(node.stringValue().trim(), 100);
            if (!categories.contains(category)) {
                categories.add(category);
            }
        }
    }

    private static @Nullable Object traitValue(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return wellFormed(value.stringValue());
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return new Traits.Json(value.toString());
    }

    /**
     * JSON may carry half a surrogate pair ("\\ud83d" alone); UTF-8 cannot, so such a char becomes
     * U+FFFD here, once, rather than '?' somewhere later.
     */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return repair(s);
                }
                i++;
            }
        }
        return s;
    }

    private static String repair(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private @Nullable Instant instant(JsonNode message, String field, String p, List<Violation> violations) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            violations.add(new Violation(p + field, "format", field + " must be an ISO-8601 date-time string"));
            return null;
        }
        Instant common = commonIsoInstant(node.stringValue());
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(node.stringValue()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(node.stringValue());
            } catch (DateTimeParseException e2) {
                violations.add(new Violation(p + field, "format",
                        field + " must be an ISO-8601 date-time such as 2026-11-25T10:00:00.000+08:00; was '"
                                + abbreviate(node.stringValue()) + "'"));
                return null;
            }
        }
    }

    /**
     * Parses the one shape nearly every SDK sends, {@code 2026-11-25T10:00:00[.fraction](Z|+08:00)},
     * without the general ISO parser, which took about a tenth of the CPU of a batch; anything else
     * (and anything out of range) returns null and goes to {@link OffsetDateTime#parse}, so what is
     * accepted and how it is read does not change.
     */
    static @Nullable Instant commonIsoInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 35 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || i < n && Character.isDigit(s.charAt(i))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int offsetHours = digits(s, i + 1, 2), offsetMinutes = digits(s, i + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
                    || offsetHours == 18 && offsetMinutes > 0) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3_600 + offsetMinutes * 60);
        } else {
            return null;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds, nanos);
    }

    /** The non-negative number in {@code s[from, from + count)}, or -1 when it is not all ASCII digits. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static @Nullable EventKind kindOf(@Nullable String type) {
        if (type == null) {
            return null;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "track" -> EventKind.TRACK;
            case "identify" -> EventKind.IDENTIFY;
            case "page" -> EventKind.PAGE;
            case "screen" -> EventKind.SCREEN;
            case "group" -> EventKind.GROUP;
            case "alias" -> EventKind.ALIAS;
            default -> null;
        };
    }

    private JsonNode stripIdentities(JsonNode context) {
        if (!context.isObject()) {
            return json.createObjectNode();
        }
        if (!context.has("identities")) {
            return context;
        }
        ObjectNode copy = ((ObjectNode) context).deepCopy();
        copy.remove("identities"); // phones in there are sealed, not logged in clear
        return copy;
    }

    private byte[] bytes(JsonNode node) {
        return node.isObject() && node.isEmpty() ? new byte[0] : json.writeValueAsBytes(node);
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static @Nullable String textOrNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && (value.isString() || value.isIntegralNumber()) ? value.asString() : null;
    }

    private static @Nullable String firstText(JsonNode node, String field) {
        return node.isObject() ? text(node, field) : null;
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 40);
    }

    private static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
