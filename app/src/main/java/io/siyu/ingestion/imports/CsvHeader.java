package io.siyu.ingestion.imports;

import io.siyu.identity.IdentifierType;
import io.siyu.ingestion.EventDictionary;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The header row of a CSV import, resolved once to the message field each column fills: top-level
 * Segment fields by name ({@code userId}, {@code event}, ...), dot paths below {@code properties.},
 * {@code traits.} and {@code context.}, and identifier types ({@code phone}, {@code unionid}, ...)
 * into {@code context.identities}. In a profile file any other plain column is a trait.
 *
 * <p>CSV has no types, so values stay strings, except properties that the {@link EventDictionary}
 * schema of the row's event declares numeric or boolean: without that, {@code "0031"} as an order
 * id would silently become 31. Empty cells are left out of the message rather than sent as "".
 */
final class CsvHeader implements RowConverter {

    private static final Set<String> EVENT_FIELDS = Set.of("type", "event", "userId", "anonymousId", "timestamp",
            "originalTimestamp", "messageId", "name", "groupId", "previousId");
    private static final Set<String> PROFILE_FIELDS = Set.of("userId", "anonymousId", "timestamp", "messageId");
    /** Columns are compared with each other; a hostile header of 30,000 columns must not cost minutes. */
    static final int MAX_COLUMNS = 1_000;
    private static final int MAX_HEADER_ERRORS = 20;
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,30}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?([eE][-+]?\\d{1,3})?");

    private final Kind kind;
    private final List<List<String>> paths;
    private final Map<String, String> columnByField = new HashMap<>();
    private final int eventColumn;
    private final JsonNodeFactory nodes;

    private CsvHeader(Kind kind, List<String> names, List<List<String>> paths, JsonNodeFactory nodes) {
        this.kind = kind;
        this.paths = paths;
        this.nodes = nodes;
        this.eventColumn = paths.indexOf(List.of("event"));
        for (int i = 0; i < names.size(); i++) {
            columnByField.put(String.join(".", paths.get(i)), names.get(i).strip());
        }
    }

    /**
     * @throws InvalidInput naming field {@code header} when a column is unknown, empty, repeated or
     *     overlaps another, or when no column could identify a person (a sign the header row is missing)
     */
    static CsvHeader parse(List<String> names, Kind kind, JsonNodeFactory nodes) {
        if (names.size() > MAX_COLUMNS) {
            throw new InvalidInput("header", "max-columns", "a file has at most " + MAX_COLUMNS + " columns; the header has "
                    + names.size());
        }
        List<Violation> violations = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            Optional<List<String>> path = name.isEmpty() ? Optional.empty() : pathOf(name, kind);
            if (name.isEmpty()) {
                violations.add(new Violation("header", "empty-column", "column " + (i + 1) + " of the header has no name"));
            } else if (path.isEmpty()) {
                violations.add(new Violation("header", "unknown-column", "unknown column '" + abbreviate(name) + "'; "
                        + (kind == Kind.EVENTS ? "event columns are " + String.join(", ", sorted(EVENT_FIELDS))
                                + ", identifier types, properties.<name>, traits.<name> and context.<path>"
                                : "profile columns are userId, anonymousId, messageId, timestamp, identifier types, "
                                        + "traits.<name>, context.identities.<type> and plain trait names")));
            }
            paths.add(path.orElse(List.of()));
        }
        Map<List<String>, Integer> columnOfPath = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            Integer earlier = paths.get(i).isEmpty() ? null : columnOfPath.putIfAbsent(paths.get(i), i);
            if (earlier != null) {
                violations.add(new Violation("header", "unique", "columns " + (earlier + 1) + " and " + (i + 1)
                        + " both fill " + String.join(".", paths.get(i))));
            }
        }
        for (List<String> path : columnOfPath.keySet()) {
            for (int length = 1; length < path.size(); length++) {
                if (columnOfPath.containsKey(path.subList(0, length))) {
                    violations.add(new Violation("header", "conflict", "column " + String.join(".", path.subList(0, length))
                            + " and column " + String.join(".", path) + " cannot both be set: one is inside the other"));
                }
            }
        }
        if (violations.isEmpty() && paths.stream().noneMatch(CsvHeader::identifies)) {
            violations.add(new Violation("header", "required", "the first row must be a header with a column that "
                    + "identifies the person (userId, anonymousId, phone, email, wecom_external_userid, unionid, ...); "
                    + "found " + abbreviate(String.join(",", names))));
        }
        if (violations.isEmpty() && kind == Kind.EVENTS && !paths.contains(List.of("event")) && !paths.contains(List.of("type"))) {
            violations.add(new Violation("header", "required", "an event file needs an 'event' or a 'type' column"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations.subList(0, Math.min(violations.size(), MAX_HEADER_ERRORS)));
        }
        return new CsvHeader(kind, names, List.copyOf(paths), nodes);
    }

    int columns() {
        return paths.size();
    }

    /** The row as a Segment message: a track call by default for events, an identify call for profiles. */
    @Override
    public Conversion convert(Row row) {
        if (!(row instanceof Row.Fields fields)) {
            throw new IllegalArgumentException("a CSV header converts CSV records, not " + row.getClass().getSimpleName());
        }
        List<String> values = fields.values();
        if (values.size() != paths.size()) {
            return new Conversion.Refused(new Violation("line", "columns", "expected " + paths.size()
                    + " columns as in the header, found " + values.size()));
        }
        ObjectNode message = nodes.objectNode();
        Optional<EventDictionary.Schema> schema = eventColumn < 0 ? Optional.empty()
                : EventDictionary.schema(values.get(eventColumn));
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (!value.isEmpty()) {
                List<String> path = paths.get(i);
                set(message, path, typed(path, value, schema));
            }
        }
        if (kind == Kind.PROFILES) {
            message.put("type", "identify");
        } else if (!message.has("type") && message.has("event")) {
            message.put("type", "track");
        }
        return new Conversion.Converted(message);
    }

    /** Errors name the column, {@code phone}, where the message has {@code context.identities.phone}. */
    @Override
    public String nameOf(String field) {
        return columnByField.getOrDefault(field, field);
    }

    private JsonNode typed(List<String> path, String value, Optional<EventDictionary.Schema> schema) {
        if (path.size() != 2 || !path.getFirst().equals("properties") || schema.isEmpty()) {
            return nodes.stringNode(value);
        }
        EventDictionary.Type type = schema.get().properties().stream().filter(p -> p.name().equals(path.get(1)))
                .map(EventDictionary.Property::type).findFirst().orElse(EventDictionary.Type.STRING);
        return switch (type) {
            // a decimal given for an INTEGER stays a decimal, so the schema check names the rule it breaks
            case INTEGER -> INTEGER.matcher(value).matches() ? nodes.numberNode(new BigInteger(value))
                    : DECIMAL.matcher(value).matches() ? nodes.numberNode(new BigDecimal(value)) : nodes.stringNode(value);
            case NUMBER -> DECIMAL.matcher(value).matches() ? nodes.numberNode(new BigDecimal(value)) : nodes.stringNode(value);
            case BOOLEAN -> value.equalsIgnoreCase("true") ? nodes.booleanNode(true)
                    : value.equalsIgnoreCase("false") ? nodes.booleanNode(false) : nodes.stringNode(value);
            default -> nodes.stringNode(value);
        };
    }

    private static void set(ObjectNode message, List<String> path, JsonNode value) {
        ObjectNode parent = message;
        for (String key : path.subList(0, path.size() - 1)) {
            parent = parent.get(key) instanceof ObjectNode child ? child : parent.putObject(key);
        }
        parent.set(path.getLast(), value);
    }

    private static Optional<List<String>> pathOf(String name, Kind kind) {
        if ((kind == Kind.EVENTS ? EVENT_FIELDS : PROFILE_FIELDS).contains(name)) {
            return Optional.of(List.of(name));
        }
        if (name.contains(".")) {
            List<String> path = Arrays.asList(name.split("\\.", -1));
            boolean wellFormed = path.size() >= 2 && path.stream().noneMatch(String::isEmpty);
            String root = path.getFirst();
            boolean allowed = root.equals("traits") || root.equals("context") || root.equals("properties") && kind == Kind.EVENTS;
            boolean identity = path.size() == 3 && path.get(1).equals("identities");
            if (!wellFormed || !allowed || root.equals("context") && identity && IdentifierType.fromKey(path.get(2)).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(List.copyOf(path));
        }
        Optional<IdentifierType> type = IdentifierType.fromKey(name);
        if (type.isPresent()) {
            return Optional.of(switch (type.get()) {
                case USER_ID -> List.of("userId");
                case ANONYMOUS_ID -> List.of("anonymousId");
                default -> List.of("context", "identities", type.get().key());
            });
        }
        return kind == Kind.PROFILES ? Optional.of(List.of("traits", name)) : Optional.empty();
    }

    private static boolean identifies(List<String> path) {
        return path.equals(List.of("userId")) || path.equals(List.of("anonymousId"))
                || path.size() == 3 && path.get(0).equals("context") && path.get(1).equals("identities")
                || path.equals(List.of("traits", "phone")) || path.equals(List.of("traits", "email"));
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted(String.CASE_INSENSITIVE_ORDER).collect(Collectors.toList());
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
