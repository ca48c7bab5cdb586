package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import io.siyu.segment.condition.Condition;
import io.siyu.segment.condition.ConditionJson;
import io.siyu.segment.condition.ConditionJsonError;
import io.siyu.segment.condition.ConditionParser;
import io.siyu.segment.condition.ConditionSyntaxError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Live segment counts while an operator edits a condition. */
@RestController
@RequestMapping("/api/v1/segments")
class SegmentController {

    record CountRequest(@Nullable JsonNode condition) {}

    private final Engine engine;

    SegmentController(Engine engine) {
        this.engine = engine;
    }

    /**
     * Counts the people matching a condition, given as text
     * ({@code {"condition": "avg_order_value > 1000"}}) or in the JSON form.
     */
    @PostMapping("/count")
    Map<String, Object> count(TenantId tenant, @RequestBody CountRequest request) {
        Condition condition = parse(request.condition());
        long now = engine.clock().millis();
        long started = System.nanoTime();
        long count;
        try {
            count = engine.ask(tenant.value(), state -> new SegmentCounter(state, now).members(condition).getLongCardinality());
        } catch (SegmentCounter.UnsupportedCondition e) {
            throw new InvalidInput("condition", "unsupported", e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("count", count);
        answer.put("condition", condition.toText());
        answer.put("tookMs", (System.nanoTime() - started) / 1_000_000.0);
        return answer;
    }

    static Condition parse(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new InvalidInput("condition", "required", "give the condition as text or in its JSON form");
        }
        if (node.isString()) {
            try {
                return ConditionParser.parse(node.stringValue());
            } catch (ConditionSyntaxError e) {
                throw new InvalidInput("condition", "syntax", e.getMessage());
            }
        }
        try {
            return ConditionJson.fromJson(node);
        } catch (ConditionJsonError e) {
            throw new InvalidInput("condition." + e.path(), "syntax", e.getMessage());
        }
    }
}
