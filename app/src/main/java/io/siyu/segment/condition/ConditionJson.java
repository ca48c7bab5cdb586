package io.siyu.segment.condition;

import io.siyu.segment.condition.Condition.And;
import io.siyu.segment.condition.Condition.Between;
import io.siyu.segment.condition.Condition.Comparison;
import io.siyu.segment.condition.Condition.HasTag;
import io.siyu.segment.condition.Condition.In;
import io.siyu.segment.condition.Condition.InSegment;
import io.siyu.segment.condition.Condition.IsMissing;
import io.siyu.segment.condition.Condition.IsPresent;
import io.siyu.segment.condition.Condition.Not;
import io.siyu.segment.condition.Condition.Or;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of conditions, for the segment builder and the API. Every node is an object with
 * exactly one property naming its kind:
 *
 * <pre>
 * condition:
 *   {"and": [condition, condition, ...]}        at least one; a single child stands for itself
 *   {"or":  [condition, condition, ...]}
 *   {"not": condition}
 *   {"compare": {"left": operand, "op": "&gt;=", "right": value}}
 *   {"between": {"operand": operand, "low": value, "high": value}}
 *   {"in":      {"operand": operand, "values": [value, ...]}}
 *   {"missing": operand}                        {"present": operand}
 *   {"has_tag": "high_spender"}                 {"in_segment": "dormant"}
 * operand:
 *   {"trait": "age"}                            any trait name, no quoting rules
 *   {"stat": "order_count"}                     one of the Stat names
 *   {"count": {"event": "Product Viewed", "where": [filter, ...], "window": "30d"}}   where optional
 *   {"sum":   {"event": "Order Completed", "window": "90d"}}                          amount in yuan
 *   {"days_since": {"stat": "last_order"}}      a time stat or a trait
 * filter:  {"property": "category", "op": "=", "value": "母婴"}
 * value:   a JSON string, number or boolean; dates are ISO-8601 strings
 * op:      "=", "!=", "&lt;", "&lt;=", "&gt;", "&gt;=", "contains", "starts_with"
 * </pre>
 *
 * Example: {@code age >= 25 and has_tag("vip")} is
 * {@code {"and":[{"compare":{"left":{"trait":"age"},"op":">=","right":25}},{"has_tag":"vip"}]}}.
 *
 * <p>The parser's limits hold here too: at most {@value ConditionParser#MAX_DEPTH} nested
 * {@code and}/{@code or}/{@code not} and {@value ConditionParser#MAX_PREDICATES} predicates.
 * Numbers are read exactly when the JSON reader keeps decimals (a {@code DecimalNode}); read
 * with doubles, a number with more than 15 significant digits may change. Unknown properties are
 * refused, not ignored, so a typo never silently widens a segment.
 */
public final class ConditionJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConditionJson() {}

    public static JsonNode toJson(Condition condition) {
        ObjectNode node = NODES.objectNode();
        switch (condition) {
            case And and -> children(node.putArray("and"), and.children());
            case Or or -> children(node.putArray("or"), or.children());
            case Not not -> node.set("not", toJson(not.child()));
            case Comparison c -> {
                ObjectNode body = node.putObject("compare");
                body.set("left", operand(c.left()));
                body.put("op", c.op().symbol());
                body.set("right", value(c.right()));
            }
            case Between b -> {
                ObjectNode body = node.putObject("between");
                body.set("operand", operand(b.operand()));
                body.set("low", value(b.low()));
                body.set("high", value(b.high()));
            }
            case In in -> {
                ObjectNode body = node.putObject("in");
                body.set("operand", operand(in.operand()));
                ArrayNode values = body.putArray("values");
                in.values().forEach(v -> values.add(value(v)));
            }
            case IsMissing m -> node.set("missing", operand(m.operand()));
            case IsPresent p -> node.set("present", operand(p.operand()));
            case HasTag t -> node.put("has_tag", t.tag());
            case InSegment s -> node.put("in_segment", s.segment());
        }
        return node;
    }

    /**
     * Reads the form above.
     *
     * @throws ConditionJsonError naming the path of the first node that is not valid
     */
    public static Condition fromJson(JsonNode json) {
        return condition(json, "", 0, new int[1]);
    }

    private static void children(ArrayNode array, List<Condition> children) {
        children.forEach(child -> array.add(toJson(child)));
    }

    private static JsonNode operand(Operand operand) {
        ObjectNode node = NODES.objectNode();
        switch (operand) {
            case Operand.Trait t -> node.put("trait", t.name());
            case Operand.StatRef s -> node.put("stat", s.stat().key());
            case Operand.Count c -> window(node.putObject("count"), c.event(), c.where(), c.window());
            case Operand.Sum s -> window(node.putObject("sum"), s.event(), s.where(), s.window());
            case Operand.DaysSince d -> node.set("days_since", operand(d.of()));
        }
        return node;
    }

    private static void window(ObjectNode body, String event, List<PropertyFilter> where, Window window) {
        body.put("event", event);
        if (!where.isEmpty()) {
            ArrayNode filters = body.putArray("where");
            for (PropertyFilter filter : where) {
                ObjectNode f = filters.addObject();
                f.put("property", filter.property());
                f.put("op", filter.op().symbol());
                f.set("value", value(filter.value()));
            }
        }
        body.put("window", window.toString());
    }

    private static JsonNode value(Value value) {
        return switch (value) {
            case Value.Text t -> NODES.stringNode(t.value());
            case Value.Decimal d -> NODES.numberNode(d.value());
            case Value.Bool b -> NODES.booleanNode(b.value());
        };
    }

    /** @param predicates how many predicates were read so far, a one-element counter */
    private static Condition condition(JsonNode node, String path, int depth, int[] predicates) {
        String kind = single(node, path, Set.of("and", "or", "not", "compare", "between", "in", "missing", "present",
                "has_tag", "in_segment"), "a condition");
        JsonNode body = node.get(kind);
        String at = join(path, kind);
        boolean group = kind.equals("and") || kind.equals("or") || kind.equals("not");
        if (group && depth >= ConditionParser.MAX_DEPTH) {
            throw new ConditionJsonError(at, "nesting is deeper than " + ConditionParser.MAX_DEPTH + " levels of and, or and not");
        }
        if (!group && ++predicates[0] > ConditionParser.MAX_PREDICATES) {
            throw new ConditionJsonError(at, "a condition may test at most " + ConditionParser.MAX_PREDICATES + " predicates");
        }
        return switch (kind) {
            case "and", "or" -> {
                if (!body.isArray() || body.isEmpty()) {
                    throw new ConditionJsonError(at, "expected a non-empty array of conditions");
                }
                List<Condition> children = new ArrayList<>();
                for (int i = 0; i < body.size(); i++) {
                    children.add(condition(body.get(i), at + "[" + i + "]", depth + 1, predicates));
                }
                yield kind.equals("and") ? Condition.and(children) : Condition.or(children);
            }
            case "not" -> new Not(condition(body, at, depth + 1, predicates));
            case "compare" -> {
                fields(body, at, "left", "op", "right");
                Operand left = operand(body.get("left"), join(at, "left"));
                Op op = op(body.get("op"), join(at, "op"));
                Value right = value(body.get("right"), join(at, "right"));
                yield build(join(at, "right"), () -> new Comparison(left, op, right));
            }
            case "between" -> {
                fields(body, at, "operand", "low", "high");
                Operand operand = operand(body.get("operand"), join(at, "operand"));
                Value low = value(body.get("low"), join(at, "low"));
                check(join(at, "low"), () -> Checks.valueSuits(operand, Op.GE, low));
                Value high = value(body.get("high"), join(at, "high"));
                yield build(join(at, "high"), () -> new Between(operand, low, high));
            }
            case "in" -> {
                fields(body, at, "operand", "values");
                Operand operand = operand(body.get("operand"), join(at, "operand"));
                JsonNode array = body.get("values");
                if (!array.isArray() || array.isEmpty()) {
                    throw new ConditionJsonError(join(at, "values"), "expected a non-empty array of values");
                }
                List<Value> values = new ArrayList<>();
                for (int i = 0; i < array.size(); i++) {
                    String itemPath = join(at, "values") + "[" + i + "]";
                    Value value = value(array.get(i), itemPath);
                    check(itemPath, () -> Checks.valueSuits(operand, Op.EQ, value));
                    values.add(value);
                }
                yield new In(operand, values);
            }
            case "missing" -> new IsMissing(operand(body, at));
            case "present" -> new IsPresent(operand(body, at));
            case "has_tag" -> build(at, () -> new HasTag(text(body, at)));
            default -> build(at, () -> new InSegment(text(body, at)));
        };
    }

    private static Operand operand(JsonNode node, String path) {
        String kind = single(node, path, Set.of("trait", "stat", "count", "sum", "days_since"), "an operand");
        JsonNode body = node.get(kind);
        String at = join(path, kind);
        return switch (kind) {
            case "trait" -> build(at, () -> new Operand.Trait(text(body, at)));
            case "stat" -> {
                Stat stat = Stat.fromKey(text(body, at));
                if (stat == null) {
                    throw new ConditionJsonError(at, "unknown stat '" + body.asString() + "'; expected one of "
                            + Arrays.stream(Stat.values()).map(Stat::key).collect(Collectors.joining(", ")));
                }
                yield new Operand.StatRef(stat);
            }
            case "count", "sum" -> {
                if (!body.isObject()) {
                    throw new ConditionJsonError(at, "expected an object with event, where and window");
                }
                allowed(body, at, Set.of("event", "where", "window"));
                String event = text(required(body, at, "event"), join(at, "event"));
                List<PropertyFilter> where = new ArrayList<>();
                JsonNode filters = body.get("where");
                if (filters != null) {
                    if (!filters.isArray()) {
                        throw new ConditionJsonError(join(at, "where"), "expected an array of filters");
                    }
                    for (int i = 0; i < filters.size(); i++) {
                        where.add(filter(filters.get(i), join(at, "where") + "[" + i + "]"));
                    }
                }
                String windowPath = join(at, "window");
                String windowText = text(required(body, at, "window"), windowPath);
                Window window = build(windowPath, () -> Window.parse(windowText));
                yield build(join(at, "event"), () -> kind.equals("count")
                        ? new Operand.Count(event, where, window)
                        : new Operand.Sum(event, where, window));
            }
            default -> {
                Operand of = operand(body, at);
                yield build(at, () -> new Operand.DaysSince(of));
            }
        };
    }

    private static PropertyFilter filter(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ConditionJsonError(path, "expected an object with property, op and value");
        }
        fields(node, path, "property", "op", "value");
        String property = text(node.get("property"), join(path, "property"));
        Op op = op(node.get("op"), join(path, "op"));
        Value value = value(node.get("value"), join(path, "value"));
        return build(path, () -> new PropertyFilter(property, op, value));
    }

    private static Op op(JsonNode node, String path) {
        Op op = node.isString() ? Op.fromSymbol(node.stringValue()) : null;
        if (op == null) {
            throw new ConditionJsonError(path, "unknown operator " + node + "; expected one of "
                    + Arrays.stream(Op.values()).map(Op::symbol).collect(Collectors.joining(", ")));
        }
        return op;
    }

    private static Value value(JsonNode node, String path) {
        if (node.isString()) {
            return new Value.Text(node.stringValue());
        }
        if (node.isBoolean()) {
            return new Value.Bool(node.booleanValue());
        }
        if (node.isNumber()) {
            return build(path, () -> new Value.Decimal(node.decimalValue()));
        }
        throw new ConditionJsonError(path, "expected a string, number or boolean but found " + node.getNodeType());
    }

    private static String text(JsonNode node, String path) {
        if (!node.isString()) {
            throw new ConditionJsonError(path, "expected a string but found " + node.getNodeType());
        }
        return node.stringValue();
    }

    /** The only property of {@code node}, which must be one of {@code kinds}. */
    private static String single(JsonNode node, String path, Set<String> kinds, String what) {
        if (!node.isObject() || node.size() != 1) {
            throw new ConditionJsonError(path.isEmpty() ? "$" : path, "expected " + what
                    + " as an object with exactly one of " + kinds.stream().sorted().collect(Collectors.joining(", ")));
        }
        String kind = node.propertyNames().iterator().next();
        if (!kinds.contains(kind)) {
            throw new ConditionJsonError(join(path, kind), "unknown kind of " + what.substring(what.indexOf(' ') + 1)
                    + "; expected one of " + kinds.stream().sorted().collect(Collectors.joining(", ")));
        }
        return kind;
    }

    /** Requires exactly these properties. */
    private static void fields(JsonNode body, String path, String... names) {
        if (!body.isObject()) {
            throw new ConditionJsonError(path, "expected an object with " + String.join(", ", names));
        }
        allowed(body, path, Set.of(names));
        for (String name : names) {
            required(body, path, name);
        }
    }

    private static void allowed(JsonNode body, String path, Set<String> names) {
        for (String name : body.propertyNames()) {
            if (!names.contains(name)) {
                throw new ConditionJsonError(join(path, name), "unknown property; expected "
                        + names.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    private static JsonNode required(JsonNode body, String path, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw new ConditionJsonError(join(path, name), "is required");
        }
        return value;
    }

    private static void check(String path, Runnable rule) {
        build(path, () -> {
            rule.run();
            return path;
        });
    }

    private static <T> T build(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new ConditionJsonError(path, e.getMessage());
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
