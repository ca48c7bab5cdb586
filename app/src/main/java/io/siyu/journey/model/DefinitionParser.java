package io.siyu.journey.model;

import io.siyu.journey.model.JourneyDefinition.Entry;
import io.siyu.journey.model.JourneyDefinition.Goal;
import io.siyu.journey.model.JourneyDefinition.Node;
import io.siyu.journey.model.JourneyDefinition.Trigger;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionParser;
import io.siyu.segment.condition.ConditionSyntaxError;
import io.siyu.segment.condition.Op;
import io.siyu.segment.condition.PropertyFilter;
import io.siyu.segment.condition.Value;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a journey definition from JSON and proves the graph sound, collecting every problem as a
 * {@link Violation} naming the JSON field and the rule (so the operator sees all of them at once):
 * {@code unknown-node} and {@code missing-exit} for exits that lead nowhere, {@code unreachable}
 * for nodes no path reaches, {@code loop-without-wait} for a cycle a person would spin in forever.
 *
 * <p>{@code ${name}} in any string is replaced by the definition's {@code parameters} (or the
 * overrides given), so coupon values and waits change without code; a string that is exactly
 * {@code ${name}} takes the parameter's JSON type.
 */
public final class DefinitionParser {

    public static final int MAX_NODES = 500;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([A-Za-z0-9_]{1,64})}");
    private static final Duration MAX_WAIT = Duration.ofDays(3_650);

    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, JsonNode> parameters = new HashMap<>();

    private DefinitionParser() {}

    /**
     * @param overrides parameter values replacing the definition's own defaults
     * @throws InvalidInput naming every problem found
     */
    public static JourneyDefinition parse(JsonNode json, Map<String, JsonNode> overrides) {
        DefinitionParser parser = new DefinitionParser();
        JourneyDefinition definition = parser.read(json, overrides);
        if (!parser.violations.isEmpty() || definition == null) {
            throw new InvalidInput(parser.violations.isEmpty()
                    ? List.of(new Violation("", "invalid", "定义无效 / invalid definition")) : parser.violations);
        }
        return definition;
    }

    /** The definition's parameters with their defaults. */
    public static Map<String, JsonNode> parametersOf(JsonNode json) {
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        JsonNode declared = json.path("parameters");
        if (declared.isObject()) {
            declared.properties().forEach(e -> defaults.put(e.getKey(), e.getValue()));
        }
        return defaults;
    }

    private @Nullable JourneyDefinition read(JsonNode raw, Map<String, JsonNode> overrides) {
        if (!raw.isObject()) {
            violation("", "type", "定义必须是 JSON 对象 / the definition must be a JSON object");
            return null;
        }
        parameters.putAll(parametersOf(raw));
        overrides.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                violation("parameters." + name, "unknown-parameter", "模板没有此参数 / the definition declares no parameter " + name);
            }
            parameters.put(name, value);
        });
        resolveParameters();
        JsonNode json = substitute(raw, "");
        String name = text(json, "name", "");
        if (name != null && (name.isBlank() || name.length() > 64)) {
            violation("name", "length", "名称长度 1–64 / name must be 1 to 64 characters");
        }
        Trigger trigger = trigger(json.path("trigger"));
        Entry entry = entry(json.path("entry"));
        String exitWhenLeaving = optionalText(json, "exitWhenLeaving");
        Goal goal = json.has("goal") && !json.get("goal").isNull() ? goal(json.get("goal")) : null;
        List<Node> nodes = nodes(json.path("nodes"));
        if (name == null || trigger == null || entry == null || nodes == null || !violations.isEmpty()) {
            return null;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
        }
        return new JourneyDefinition(name, trigger, entry, exitWhenLeaving, goal, nodes, index);
    }

    /** Parameters may use other parameters ({@code "text": "${value} off"}); resolved a few levels deep. */
    private void resolveParameters() {
        for (int round = 0; round < 5; round++) {
            boolean changed = false;
            for (Map.Entry<String, JsonNode> e : parameters.entrySet()) {
                if (e.getValue().isString() && PARAMETER.matcher(e.getValue().asString()).find()) {
                    JsonNode resolved = substitute(e.getValue(), "parameters." + e.getKey());
                    changed |= !resolved.equals(e.getValue());
                    e.setValue(resolved);
                }
            }
            if (!changed) {
                return;
            }
        }
        violation("parameters", "parameter-cycle", "参数互相引用成环 / parameters refer to each other in a cycle");
    }

    private JsonNode substitute(JsonNode node, String path) {
        if (node.isString()) {
            String value = node.asString();
            Matcher whole = PARAMETER.matcher(value);
            if (whole.matches()) {
                JsonNode parameter = parameters.get(whole.group(1));
                if (parameter == null) {
                    violation(path, "unknown-parameter", "未声明的参数 / undeclared parameter " + whole.group(1));
                    return node;
                }
                return parameter;
            }
            Matcher m = PARAMETER.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                JsonNode parameter = parameters.get(m.group(1));
                if (parameter == null) {
                    violation(path, "unknown-parameter", "未声明的参数 / undeclared parameter " + m.group(1));
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                } else {
                    m.appendReplacement(out, Matcher.quoteReplacement(parameter.isString() ? parameter.asString()
                            : parameter.toString()));
                }
            }
            m.appendTail(out);
            return StringNode.valueOf(out.toString());
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), e.getKey().equals("parameters") && path.isEmpty()
                    ? e.getValue() : substitute(e.getValue(), join(path, e.getKey()))));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(substitute(node.get(i), path + "[" + i + "]"));
            }
            return copy;
        }
        return node;
    }

    private @Nullable Trigger trigger(JsonNode json) {
        if (!json.isObject()) {
            violation("trigger", "required", "需要触发条件 / a trigger is required");
            return null;
        }
        String type = text(json, "type", "trigger");
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "event" -> {
                String event = text(json, "event", "trigger");
                List<PropertyFilter> where = filters(json.path("where"), "trigger.where");
                yield event == null ? null : new Trigger.OnEvent(event, where);
            }
            case "segment_entered" -> {
                String segment = text(json, "segment", "trigger");
                yield segment == null ? null : new Trigger.SegmentEntered(segment);
            }
            case "schedule" -> {
                String segment = text(json, "segment", "trigger");
                String at = optionalText(json, "at");
                String cron = optionalText(json, "cron");
                Instant instant = null;
                if ((at == null) == (cron == null)) {
                    violation("trigger", "one-of", "定时触发需要 at 或 cron 之一 / a schedule needs exactly one of at, cron");
                } else if (at != null) {
                    try {
                        instant = Instant.parse(at);
                    } catch (DateTimeParseException e) {
                        violation("trigger.at", "format", "ISO-8601 时间 / an ISO-8601 instant such as 2026-11-11T02:00:00Z");
                    }
                } else if (!CronExpression.isValidExpression(cron)) {
                    violation("trigger.cron", "format", "cron 表达式无效 / not a cron expression (6 fields: s m h dom mon dow)");
                }
                yield segment == null ? null : new Trigger.Schedule(segment, instant, cron);
            }
            case "date" -> {
                String trait = text(json, "trait", "trigger");
                LocalTime at = time(json.path("at"), "trigger.at", LocalTime.of(10, 0));
                int offset = json.path("offsetDays").asInt(0);
                if (Math.abs(offset) > 366) {
                    violation("trigger.offsetDays", "range", "偏移最多 366 天 / offset at most 366 days");
                }
                yield trait == null ? null : new Trigger.DateAttribute(trait, at, offset, json.path("annual").asBoolean(true));
            }
            case "api" -> new Trigger.Api();
            default -> {
                violation("trigger.type", "enum", "触发类型应为 event, segment_entered, schedule, date, api / unknown trigger type " + type);
                yield null;
            }
        };
    }

    private @Nullable Entry entry(JsonNode json) {
        if (json.isMissingNode() || json.isNull()) {
            return new Entry(Entry.Rule.ONCE, Duration.ZERO);
        }
        String rule = text(json, "rule", "entry");
        if (rule == null) {
            return null;
        }
        return switch (rule) {
            case "once" -> new Entry(Entry.Rule.ONCE, Duration.ZERO);
            case "always" -> new Entry(Entry.Rule.ALWAYS, Duration.ZERO);
            case "again_after" -> new Entry(Entry.Rule.AGAIN_AFTER, duration(json.path("after"), "entry.after"));
            default -> {
                violation("entry.rule", "enum", "进入规则应为 once, again_after, always / unknown entry rule " + rule);
                yield null;
            }
        };
    }

    private Goal goal(JsonNode json) {
        String event = text(json, "event", "goal");
        return new Goal(event == null ? "" : event, filters(json.path("where"), "goal.where"),
                duration(json.path("within"), "goal.within"));
    }

    private @Nullable List<Node> nodes(JsonNode json) {
        if (!json.isArray() || json.isEmpty()) {
            violation("nodes", "required", "至少需要一个节点 / at least one node is required");
            return null;
        }
        if (json.size() > MAX_NODES) {
            violation("nodes", "max-items", "最多 " + MAX_NODES + " 个节点 / at most " + MAX_NODES + " nodes");
            return null;
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < json.size(); i++) {
            String id = json.get(i).path("id").isString() ? json.get(i).path("id").asString() : null;
            if (id == null || !ID.matcher(id).matches()) {
                violation("nodes[" + i + "].id", "format", "节点 id：1–64 个字母、数字、_ 或 - / node id: 1-64 letters, digits, _ or -");
            } else if (ids.putIfAbsent(id, i) != null) {
                violation("nodes[" + i + "].id", "duplicate", "节点 id 重复 / duplicate node id " + id);
            }
        }
        if (!violations.isEmpty()) {
            return null;
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            Node node = node(json.get(i), "nodes[" + i + "]", ids);
            if (node != null) {
                nodes.add(node);
            }
        }
        if (!violations.isEmpty()) {
            return null;
        }
        checkReachable(nodes);
        checkLoops(nodes);
        return nodes;
    }

    private @Nullable Node node(JsonNode json, String path, Map<String, Integer> ids) {
        String id = json.get("id").asString();
        String type = text(json, "type", path);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "wait" -> new JourneyDefinition.Wait(id, duration(json.path("duration"), path + ".duration"),
                    exit(json, "next", path, ids));
            case "wait_until" -> new JourneyDefinition.WaitUntil(id, time(json.path("time"), path + ".time", null),
                    days(json.path("days"), path + ".days"), exit(json, "next", path, ids));
            case "wait_for_event" -> {
                String event = text(json, "event", path);
                yield new JourneyDefinition.WaitForEvent(id, event == null ? "" : event, filters(json.path("where"), path + ".where"),
                        duration(json.path("timeout"), path + ".timeout"), exit(json, "next", path, ids),
                        exit(json, "timeoutNext", path, ids));
            }
            case "branch" -> new JourneyDefinition.Branch(id, condition(json.path("condition"), path + ".condition"),
                    exit(json, "then", path, ids), exit(json, "else", path, ids));
            case "split" -> split(id, json, path, ids);
            case "action" -> {
                String action = text(json, "action", path);
                yield new JourneyDefinition.Action(id, action == null ? "" : action, stringMap(json.path("parameters"),
                        path + ".parameters"), exit(json, "next", path, ids));
            }
            case "add_tag", "remove_tag" -> {
                String tag = text(json, "tag", path);
                if (tag != null && (tag.isBlank() || tag.length() > 64)) {
                    violation(path + ".tag", "length", "标签名 1–64 字 / tag name must be 1 to 64 characters");
                }
                yield new JourneyDefinition.Tag(id, tag == null ? "" : tag, type.equals("add_tag"), exit(json, "next", path, ids));
            }
            case "update_trait" -> {
                String trait = text(json, "trait", path);
                JsonNode value = json.path("value");
                if (!value.isValueNode() || value.isNull()) {
                    violation(path + ".value", "required", "需要特征值 / a trait value (string, number or boolean) is required");
                }
                yield new JourneyDefinition.SetTrait(id, trait == null ? "" : trait, value.asString(""), exit(json, "next", path, ids));
            }
            case "start_journey" -> {
                String journey = text(json, "journey", path);
                yield new JourneyDefinition.StartJourney(id, journey == null ? "" : journey, exit(json, "next", path, ids));
            }
            case "exit" -> new JourneyDefinition.Exit(id);
            default -> {
                violation(path + ".type", "enum", "未知节点类型 / unknown node type " + type
                        + " (wait, wait_until, wait_for_event, branch, split, action, add_tag, remove_tag, update_trait, start_journey, exit)");
                yield null;
            }
        };
    }

    private Node split(String id, JsonNode json, String path, Map<String, Integer> ids) {
        JsonNode arms = json.path("arms");
        int holdout = json.path("holdout").asInt(0);
        if (!arms.isArray() || arms.isEmpty() || arms.size() > 10) {
            violation(path + ".arms", "required", "需要 1–10 个分支 / a split needs 1 to 10 arms");
            return new JourneyDefinition.Split(id, new int[0], new int[0], holdout);
        }
        int[] percents = new int[arms.size()];
        int[] next = new int[arms.size()];
        int total = holdout;
        for (int i = 0; i < arms.size(); i++) {
            percents[i] = arms.get(i).path("percent").asInt(-1);
            if (percents[i] < 0 || percents[i] > 100) {
                violation(path + ".arms[" + i + "].percent", "range", "百分比 0–100 / percent must be 0 to 100");
            }
            total += percents[i];
            next[i] = exit(arms.get(i), "next", path + ".arms[" + i + "]", ids);
        }
        if (holdout < 0 || total != 100) {
            violation(path, "percent-sum", "各分支与对照组之和须为 100 / arms plus holdout must add up to 100, was " + total);
        }
        return new JourneyDefinition.Split(id, percents, next, holdout);
    }

    private int exit(JsonNode json, String field, String path, Map<String, Integer> ids) {
        JsonNode target = json.get(field);
        if (target == null || target.isNull()) {
            violation(path + "." + field, "missing-exit", "出口未连接 / exit " + field + " leads nowhere; connect it (use an exit node to end)");
            return -1;
        }
        Integer at = target.isString() ? ids.get(target.asString()) : null;
        if (at == null) {
            violation(path + "." + field, "unknown-node", "没有此节点 / no node with id " + target);
            return -1;
        }
        return at;
    }

    private void checkReachable(List<Node> nodes) {
        boolean[] seen = new boolean[nodes.size()];
        List<Integer> stack = new ArrayList<>(List.of(0));
        seen[0] = true;
        while (!stack.isEmpty()) {
            for (int next : nodes.get(stack.removeLast()).exits()) {
                if (!seen[next]) {
                    seen[next] = true;
                    stack.add(next);
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (!seen[i]) {
                violation("nodes[" + i + "]", "unreachable", "从起点无法到达此节点 / node " + nodes.get(i).id()
                        + " cannot be reached from the first node");
            }
        }
    }

    /** A cycle among nodes that do not wait would move a person forever within one instant. */
    private void checkLoops(List<Node> nodes) {
        int[] colour = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            if (colour[i] == 0 && loopFrom(i, nodes, colour)) {
                return;
            }
        }
    }

    private boolean loopFrom(int at, List<Node> nodes, int[] colour) {
        colour[at] = 1;
        if (!nodes.get(at).waits()) {
            for (int next : nodes.get(at).exits()) {
                if (colour[next] == 1) {
                    violation("nodes[" + next + "]", "loop-without-wait", "循环中没有等待节点 / the loop through "
                            + nodes.get(next).id() + " and " + nodes.get(at).id() + " has no wait; add a wait node to it");
                    return true;
                }
                if (colour[next] == 0 && loopFrom(next, nodes, colour)) {
                    return true;
                }
            }
        }
        colour[at] = 2;
        return false;
    }

    private List<PropertyFilter> filters(JsonNode json, String path) {
        if (json.isMissingNode() || json.isNull()) {
            return List.of();
        }
        if (!json.isArray() || json.size() > 20) {
            violation(path, "type", "过滤条件是最多 20 项的数组 / filters are an array of at most 20 {property, op, value}");
            return List.of();
        }
        List<PropertyFilter> filters = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            JsonNode f = json.get(i);
            String at = path + "[" + i + "]";
            String property = text(f, "property", at);
            String opText = text(f, "op", at);
            Op op = opText == null ? null : Op.fromSymbol(opText);
            if (opText != null && op == null) {
                violation(at + ".op", "enum", "未知运算符 / unknown operator " + opText);
            }
            JsonNode v = f.path("value");
            Value value = v.isNumber() ? new Value.Decimal(v.decimalValue()) : v.isBoolean() ? new Value.Bool(v.asBoolean())
                    : v.isString() ? new Value.Text(v.asString()) : null;
            if (value == null) {
                violation(at + ".value", "type", "值须为字符串、数字或布尔 / value must be a string, number or boolean");
            }
            if (property != null && op != null && value != null) {
                try {
                    filters.add(new PropertyFilter(property, op, value));
                } catch (IllegalArgumentException e) {
                    violation(at, "invalid", e.getMessage());
                }
            }
        }
        return filters;
    }

    private Condition condition(JsonNode json, String path) {
        if (!json.isString()) {
            violation(path, "required", "需要条件表达式 / a condition in the condition language is required");
            return new Condition.HasTag("-");
        }
        try {
            return ConditionParser.parse(json.asString());
        } catch (ConditionSyntaxError e) {
            violation(path, "syntax", "条件语法错误 / " + e.getMessage());
            return new Condition.HasTag("-");
        }
    }

    private Duration duration(JsonNode json, String path) {
        if (!json.isString()) {
            violation(path, "required", "需要 ISO-8601 时长，如 P3D、PT30M / an ISO-8601 duration such as P3D or PT30M is required");
            return Duration.ZERO;
        }
        String text = json.asString().toUpperCase(Locale.ROOT);
        Duration d;
        try {
            if (text.contains("T")) {
                d = Duration.parse(text);
            } else {
                Period period = Period.parse(text);
                if (period.getMonths() != 0 || period.getYears() != 0) {
                    violation(path, "format", "请用天表示，如 P30D / use days (P30D), not months or years");
                }
                d = Duration.ofDays(period.getDays());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            violation(path, "format", "不是 ISO-8601 时长 / not an ISO-8601 duration: " + json.asString());
            return Duration.ZERO;
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_WAIT) > 0) {
            violation(path, "range", "时长须在 0 到 3650 天之间 / duration must be positive and at most 3650 days");
        }
        return d;
    }

    private LocalTime time(JsonNode json, String path, @Nullable LocalTime fallback) {
        if ((json.isMissingNode() || json.isNull()) && fallback != null) {
            return fallback;
        }
        try {
            return LocalTime.parse(json.asString(""));
        } catch (DateTimeParseException e) {
            violation(path, "format", "时间格式 HH:mm / a local time such as 10:00");
            return LocalTime.MIDNIGHT;
        }
    }

    private Set<DayOfWeek> days(JsonNode json, String path) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (json.isMissingNode() || json.isNull()) {
            return days;
        }
        for (int i = 0; json.isArray() && i < json.size(); i++) {
            try {
                days.add(DayOfWeek.valueOf(json.get(i).asString("").toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                violation(path + "[" + i + "]", "enum", "星期名如 MONDAY / a weekday such as MONDAY");
            }
        }
        return days;
    }

    private Map<String, String> stringMap(JsonNode json, String path) {
        Map<String, String> map = new LinkedHashMap<>();
        if (json.isMissingNode() || json.isNull()) {
            return map;
        }
        if (!json.isObject() || json.size() > 50) {
            violation(path, "type", "参数是最多 50 项的对象 / parameters are an object of at most 50 entries");
            return map;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                violation(join(path, e.getKey()), "type", "参数值须为字符串或数字 / parameter values are strings or numbers");
            } else {
                map.put(e.getKey(), e.getValue().isNumber() ? new BigDecimal(e.getValue().asString()).toPlainString()
                        : e.getValue().asString());
            }
        }
        return map;
    }

    private @Nullable String text(JsonNode json, String field, String path) {
        JsonNode value = json.get(field);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            violation(join(path, field), "required", "缺少 " + field + " / " + field + " is required");
            return null;
        }
        if (value.asString().length() > 10_000) {
            violation(join(path, field), "max-length", field + " 过长 / " + field + " is too long");
            return null;
        }
        return value.asString();
    }

    private static @Nullable String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isString() || value.asString().isBlank() ? null : value.asString();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private void violation(String field, String rule, String message) {
        violations.add(new Violation(field, rule, message));
    }
}
