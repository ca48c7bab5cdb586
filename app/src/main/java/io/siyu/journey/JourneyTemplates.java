package io.siyu.journey;

import io.siyu.journey.model.DefinitionParser;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shipped journey templates ({@code classpath:journeys/templates/*.json}): the report's flows
 * with their parameters (coupon values, waits, texts) editable without code. Instantiating one
 * makes a draft with the given parameter values, validated like any definition.
 */
@RestController
@RequestMapping("/api/v1/journey-templates")
class JourneyTemplates {

    record TemplateView(String id, String name, @Nullable String description, JsonNode parameters) {}

    record Instantiate(@Nullable String name, @Nullable Map<String, JsonNode> parameters) {}

    private final Map<String, ObjectNode> templates = new LinkedHashMap<>();
    private final JourneyController journeys;

    JourneyTemplates(JsonMapper json, JourneyController journeys) {
        this.journeys = journeys;
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:journeys/templates/*.json")) {
                try (InputStream in = resource.getInputStream()) {
                    String id = resource.getFilename().replace(".json", "");
                    ObjectNode template = (ObjectNode) json.readTree(in);
                    DefinitionParser.parse(template, Map.of()); // a broken shipped template must stop the build's tests, not an operator
                    templates.put(id, template);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journey templates", e);
        }
    }

    @GetMapping
    List<TemplateView> list() {
        return templates.entrySet().stream().map(e -> new TemplateView(e.getKey(), e.getValue().path("name").asString(),
                e.getValue().path("description").asString(null), e.getValue().path("parameters"))).toList();
    }

    /** Makes a draft journey from a template; publish it with {@code POST /api/v1/journeys/{id}/publish}. */
    @PostMapping("/{id}")
    @ResponseStatus(HttpStatus.CREATED)
    JourneyController.JourneyView instantiate(TenantId tenant, @PathVariable String id, @RequestBody Instantiate request) {
        ObjectNode template = templates.get(id);
        if (template == null) {
            throw new NotFound("没有此模板 / no template " + id);
        }
        ObjectNode definition = template.deepCopy();
        if (request.name() != null) {
            definition.put("name", request.name());
        }
        Map<String, JsonNode> overrides = request.parameters() == null ? Map.of() : request.parameters();
        ObjectNode parameters = (ObjectNode) definition.get("parameters");
        overrides.forEach((name, value) -> {
            if (!parameters.has(name)) {
                throw new InvalidInput("parameters." + name, "unknown-parameter", "模板没有此参数 / template " + id + " has no parameter " + name);
            }
            if (!value.isValueNode() || value.isNull()) {
                throw new InvalidInput("parameters." + name, "type", "参数值须为字符串或数字 / a parameter is a string or a number");
            }
            parameters.set(name, value);
        });
        return journeys.create(tenant, DefinitionParser.parse(definition, Map.of()).name(), definition);
    }
}
