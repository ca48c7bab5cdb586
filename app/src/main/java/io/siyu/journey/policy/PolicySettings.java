package io.siyu.journey.policy;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tenant's send policy. {@code caps} per channel ({@code "*"} for every channel) limit marketing
 * messages per person per rolling day and week; {@code quietHours} defer marketing messages that
 * would arrive between {@code start} and {@code end} in the person's time zone; {@code rateLimits}
 * cap messages per second per channel for the whole tenant.
 */
record PolicySettings(Map<String, Cap> caps, @Nullable QuietHours quietHours, Map<String, Integer> rateLimits) {

    record Cap(int day, int week) {}

    record QuietHours(LocalTime start, LocalTime end) {
        boolean contains(LocalTime t) {
            return start.isAfter(end) ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
        }
    }

    static final PolicySettings DEFAULT = new PolicySettings(Map.of(),
            new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0)), Map.of());

    @Nullable Cap capFor(String channel) {
        Cap cap = caps.get(channel);
        return cap != null ? cap : caps.get("*");
    }

    static PolicySettings parse(JsonNode json) {
        List<Violation> violations = new ArrayList<>();
        if (!json.isObject()) {
            throw new InvalidInput("", "type", "策略须为 JSON 对象 / the policy must be a JSON object");
        }
        Map<String, Cap> caps = new LinkedHashMap<>();
        JsonNode capsNode = json.path("caps");
        if (capsNode.isObject()) {
            capsNode.properties().forEach(e -> {
                int day = e.getValue().path("day").asInt(Integer.MAX_VALUE);
                int week = e.getValue().path("week").asInt(Integer.MAX_VALUE);
                if (day < 0 || week < 0 || !e.getValue().isObject()) {
                    violations.add(new Violation("caps." + e.getKey(), "range", "上限须为非负整数 / caps are non-negative whole numbers"));
                }
                caps.put(e.getKey(), new Cap(day, week));
            });
        } else if (!capsNode.isMissingNode()) {
            violations.add(new Violation("caps", "type", "caps 须为对象 / caps must be an object"));
        }
        QuietHours quiet = DEFAULT.quietHours();
        JsonNode quietNode = json.path("quietHours");
        if (quietNode.isNull()) {
            quiet = null;
        } else if (quietNode.isObject()) {
            try {
                quiet = new QuietHours(LocalTime.parse(quietNode.path("start").asString("")),
                        LocalTime.parse(quietNode.path("end").asString("")));
            } catch (DateTimeParseException e) {
                violations.add(new Violation("quietHours", "format", "免打扰时段须为 HH:mm / start and end as HH:mm"));
            }
        }
        Map<String, Integer> rates = new LinkedHashMap<>();
        JsonNode ratesNode = json.path("rateLimits");
        if (ratesNode.isObject()) {
            ratesNode.properties().forEach(e -> {
                int perSecond = e.getValue().asInt(0);
                if (perSecond <= 0 || !e.getValue().isNumber()) {
                    violations.add(new Violation("rateLimits." + e.getKey(), "range", "每秒条数须为正整数 / messages per second, a positive whole number"));
                }
                rates.put(e.getKey(), perSecond);
            });
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return new PolicySettings(caps, quiet, rates);
    }

    JsonNode toJson(JsonMapper json) {
        ObjectNode out = json.createObjectNode();
        ObjectNode capsNode = out.putObject("caps");
        caps.forEach((channel, cap) -> {
            ObjectNode c = capsNode.putObject(channel);
            if (cap.day() != Integer.MAX_VALUE) {
                c.put("day", cap.day());
            }
            if (cap.week() != Integer.MAX_VALUE) {
                c.put("week", cap.week());
            }
        });
        if (quietHours == null) {
            out.putNull("quietHours");
        } else {
            out.putObject("quietHours").put("start", quietHours.start().toString()).put("end", quietHours.end().toString());
        }
        ObjectNode rates = out.putObject("rateLimits");
        rateLimits.forEach(rates::put);
        return out;
    }
}
