package io.siyu.journey;

import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.journey.model.DefinitionParser;
import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.runtime.JourneyBook;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.PayloadTooLarge;
import io.siyu.platform.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Journeys for operators: create and edit a draft (validated on every save), publish it as a new
 * version, pause, resume, archive; enter people through the API; read reports and sends.
 */
@RestController
@RequestMapping("/api/v1/journeys")
class JourneyController {

    static final int MAX_DEFINITION_BYTES = 256 * 1024;

    /** A journey as the API shows it. */
    record JourneyView(int id, String name, String status, @Nullable Integer version, @Nullable JsonNode draft) {}

    record EnterRequest(@Nullable String identifier, @Nullable Map<String, String> properties) {}

    private final Journeys journeys;
    private final JourneyRuntime runtime;
    private final JourneyReports reports;
    private final Engine engine;
    private final JsonMapper json;

    JourneyController(Journeys journeys, JourneyRuntime runtime, JourneyReports reports, Engine engine, JsonMapper json) {
        this.journeys = journeys;
        this.runtime = runtime;
        this.reports = reports;
        this.engine = engine;
        this.json = json;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    JourneyView create(TenantId tenant, @RequestBody String body) {
        JsonNode definition = read(body);
        JourneyDefinition parsed = DefinitionParser.parse(definition, Map.of());
        return create(tenant, parsed.name(), definition);
    }

    JourneyView create(TenantId tenant, String name, JsonNode definition) {
        int id = journeys.create(tenant, name, definition.toString()).orElseThrow(() -> new InvalidInput("name", "duplicate",
                "已有同名旅程 / a journey named " + name + " exists"));
        return view(journeys.find(tenant, id).orElseThrow());
    }

    @GetMapping
    List<JourneyView> list(TenantId tenant) {
        return journeys.list(tenant).stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    Map<String, Object> get(TenantId tenant, @PathVariable int id) {
        Journeys.Stored stored = find(tenant, id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journey", view(stored));
        out.put("versions", journeys.versions(id).stream().map(v -> Map.of("version", v.version(),
                "definition", json.readTree(v.definition()))).toList());
        return out;
    }

    /** Replaces the draft; published versions never change. */
    @PutMapping("/{id}")
    JourneyView edit(TenantId tenant, @PathVariable int id, @RequestBody String body) {
        Journeys.Stored stored = find(tenant, id);
        if (stored.status() == Journeys.Status.ARCHIVED) {
            throw new InvalidInput("status", "archived", "已归档的旅程不能编辑 / an archived journey cannot be edited");
        }
        JsonNode definition = read(body);
        JourneyDefinition parsed = DefinitionParser.parse(definition, Map.of());
        journeys.saveDraft(id, parsed.name(), definition.toString());
        return view(find(tenant, id));
    }

    @PostMapping("/{id}/publish")
    JourneyView publish(TenantId tenant, @PathVariable int id) {
        Journeys.Stored stored = find(tenant, id);
        if (stored.draft() == null) {
            throw new InvalidInput("draft", "required", "没有待发布的草稿 / there is no draft to publish");
        }
        if (stored.status() == Journeys.Status.ARCHIVED) {
            throw new InvalidInput("status", "archived", "已归档的旅程不能发布 / an archived journey cannot be published");
        }
        DefinitionParser.parse(json.readTree(stored.draft()), Map.of());
        journeys.publish(id, stored.draft());
        Journeys.Stored published = find(tenant, id);
        runtime.install(engine, published, engine.clock().millis());
        return view(published);
    }

    @PostMapping("/{id}/pause")
    JourneyView pause(TenantId tenant, @PathVariable int id) {
        return move(tenant, id, Journeys.Status.PUBLISHED, Journeys.Status.PAUSED);
    }

    @PostMapping("/{id}/resume")
    JourneyView resume(TenantId tenant, @PathVariable int id) {
        return move(tenant, id, Journeys.Status.PAUSED, Journeys.Status.PUBLISHED);
    }

    @PostMapping("/{id}/archive")
    JourneyView archive(TenantId tenant, @PathVariable int id) {
        Journeys.Stored stored = find(tenant, id);
        if (stored.status() == Journeys.Status.ARCHIVED) {
            return view(stored);
        }
        journeys.setStatus(id, Journeys.Status.ARCHIVED);
        runtime.archive(tenant.value(), id);
        return view(find(tenant, id));
    }

    private JourneyView move(TenantId tenant, int id, Journeys.Status from, Journeys.Status to) {
        Journeys.Stored stored = find(tenant, id);
        if (stored.status() != from) {
            throw new InvalidInput("status", "state", "旅程状态为 " + stored.status() + "，不能变为 " + to
                    + " / the journey is " + stored.status() + "; only a " + from + " journey can become " + to);
        }
        journeys.setStatus(id, to);
        Journeys.Stored moved = find(tenant, id);
        runtime.install(engine, moved, engine.clock().millis());
        return view(moved);
    }

    /** Enters one person now (trigger type {@code api}, or any published journey for operators). */
    @PostMapping("/{id}/enter")
    Map<String, Object> enter(TenantId tenant, @PathVariable int id, @RequestBody EnterRequest request) {
        find(tenant, id);
        Identifier identifier = identifier(request.identifier());
        Map<String, String> properties = request.properties() == null ? Map.of() : request.properties();
        if (properties.size() > 20) {
            throw new InvalidInput("properties", "max-items", "最多 20 个属性 / at most 20 properties");
        }
        properties.forEach((k, v) -> {
            if (k.length() > 64 || v == null || v.length() > 1_000) {
                throw new InvalidInput("properties." + k, "max-length", "属性名 ≤64、值 ≤1000 字 / names up to 64, values up to 1000 characters");
            }
        });
        JourneyBook.Entered entered = runtime.enter(tenant.value(), id, identifier, properties);
        return Map.of("journey", id, "identifier", identifier.toString(), "result", entered.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Where a person is in the journey now. */
    @GetMapping("/{id}/position")
    Map<String, Object> position(TenantId tenant, @PathVariable int id, @RequestParam String identifier) {
        find(tenant, id);
        JourneyBook.Position position = runtime.position(tenant.value(), id, identifier(identifier));
        if (position == null) {
            return Map.of("in", false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("in", true);
        out.put("version", position.version());
        out.put("node", position.node());
        out.put("entry", position.entry());
        if (position.deadline() >= 0) {
            out.put("waitingUntil", java.time.Instant.ofEpochMilli(position.deadline()).toString());
        }
        return out;
    }

    @GetMapping("/{id}/report")
    JourneyReports.Report report(TenantId tenant, @PathVariable int id) {
        find(tenant, id);
        runtime.flush();
        return reports.report(tenant.value(), id, runtime.waiting(tenant.value(), id));
    }

    /** The journey's actions, newest first, with their outcome and reason. */
    @GetMapping("/{id}/actions")
    List<JourneyReports.ActionView> actions(TenantId tenant, @PathVariable int id, @RequestParam(defaultValue = "100") int limit) {
        find(tenant, id);
        if (limit < 1 || limit > 1_000) {
            throw new InvalidInput("limit", "range", "limit 须在 1–1000 / limit must be 1 to 1000");
        }
        runtime.flush();
        return reports.actions(tenant.value(), id, limit);
    }

    private Journeys.Stored find(TenantId tenant, int id) {
        return journeys.find(tenant, id).orElseThrow(() -> new NotFound("没有此旅程 / no journey " + id));
    }

    private JourneyView view(Journeys.Stored stored) {
        return new JourneyView(stored.id(), stored.name(), stored.status().name().toLowerCase(java.util.Locale.ROOT),
                stored.currentVersion(), stored.draft() == null ? null : json.readTree(stored.draft()));
    }

    static Identifier identifier(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("identifier", "required", "需要标识，如 user_id:u1 / an identifier such as user_id:u1 is required");
        }
        try {
            return Identifier.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
    }

    JsonNode read(String body) {
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_DEFINITION_BYTES) {
            throw new PayloadTooLarge("body", MAX_DEFINITION_BYTES, "旅程定义最大 256 KiB / a journey definition is at most 256 KiB");
        }
        try {
            JsonNode node = json.readTree(body);
            if (!(node instanceof ObjectNode)) {
                throw new InvalidInput("", "type", "定义必须是 JSON 对象 / the definition must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new InvalidInput("", "json", "不是有效的 JSON / the body is not valid JSON");
        }
    }
}
