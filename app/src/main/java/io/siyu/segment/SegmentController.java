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
import org.springframework.http.HttpStatus;
import io.siyu.platform.NotFound;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Live segment counts while an operator edits a condition. */
@RestController
@RequestMapping("/api/v1/segments")
class SegmentController {

    record CountRequest(@Nullable JsonNode condition) {}

    record DefineRequest(@Nullable JsonNode condition, @Nullable String kind, @Nullable String group) {}

    /** A saved segment or rule tag, with its current size. */
    record SegmentView(String name, String kind, String condition, @Nullable String group, long people) {}

    /** Static segments keep their members in a manual tag of this prefix and the segment's name. */
    static final String STATIC_TAG_PREFIX = "static:";

    record StaticRequest(java.util.@Nullable List<String> identifiers) {}

    private final Engine engine;
    private final SegmentDefinitions definitions;
    private final ManualTags manualTags;

    SegmentController(Engine engine, SegmentDefinitions definitions, ManualTags manualTags) {
        this.engine = engine;
        this.definitions = definitions;
        this.manualTags = manualTags;
    }

    /**
     * Adds uploaded people to a static segment (up to 10,000 identifiers a request; send more
     * requests for longer lists). Members are a manual tag {@code static:<name>}, given through the
     * log, so the segment is as durable as any event; the segment itself is
     * {@code has_tag("static:<name>")} and works everywhere a segment does. Adding someone twice
     * keeps them once.
     */
    @PostMapping("/{name}/static")
    SegmentView addToStatic(TenantId tenant, @PathVariable String name, @RequestBody StaticRequest request) {
        PersonPages.requireName("name", name);
        if (name.length() + STATIC_TAG_PREFIX.length() > PersonPages.MAX_NAME) {
            throw new InvalidInput("name", "format", "static segment names are at most "
                    + (PersonPages.MAX_NAME - STATIC_TAG_PREFIX.length()) + " characters");
        }
        String tag = STATIC_TAG_PREFIX + name;
        manualTags.change(tenant, tag, request.identifiers(), null, TagBook.ASSIGNED);
        Definition definition = Definition.of(name, Definition.Kind.SEGMENT, new Condition.HasTag(tag), null);
        return new SegmentView(name, "segment", definition.condition().toText(), null, install(tenant, definition));
    }

    /** Saves a dynamic segment ({@code "kind": "segment"}, the default) or a rule tag ({@code "tag"}). */
    @PutMapping("/{name}")
    SegmentView define(TenantId tenant, @PathVariable String name, @RequestBody DefineRequest request) {
        PersonPages.requireName("name", name);
        Condition condition = parse(request.condition());
        Definition.Kind kind = switch (request.kind() == null ? "segment" : request.kind()) {
            case "segment" -> Definition.Kind.SEGMENT;
            case "tag" -> Definition.Kind.TAG;
            default -> throw new InvalidInput("kind", "enum", "kind must be 'segment' or 'tag'");
        };
        if (request.group() != null) {
            PersonPages.requireName("group", request.group());
        }
        Definition definition = Definition.of(name, kind, condition, request.group());
        try {
            SegmentCounter.requireSupported(condition);
        } catch (SegmentCounter.UnsupportedCondition e) {
            throw new InvalidInput("condition", "unsupported", e.getMessage());
        }
        return new SegmentView(name, kind.name().toLowerCase(java.util.Locale.ROOT), condition.toText(), request.group(),
                install(tenant, definition));
    }

    /** Saves a definition and evaluates it over everybody; returns its size. */
    private long install(TenantId tenant, Definition definition) {
        definitions.save(tenant, definition);
        long now = engine.clock().millis();
        return engine.ask(tenant.value(), state -> state.part(SegmentExtension.ID, SegmentBook.class)
                .define(state, definition, now));
    }

    @GetMapping
    java.util.List<SegmentView> list(TenantId tenant) {
        return engine.ask(tenant.value(), state -> {
            SegmentBook book = state.part(SegmentExtension.ID, SegmentBook.class);
            return book.definitions().stream().map(d -> new SegmentView(d.name(),
                    d.kind().name().toLowerCase(java.util.Locale.ROOT), d.condition().toText(), d.group(),
                    book.members(state, d.name()).getLongCardinality())).toList();
        });
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String name) {
        if (!definitions.delete(tenant, name)) {
            throw new NotFound("no segment or rule tag '" + name + "'");
        }
        engine.ask(tenant.value(), state -> {
            state.part(SegmentExtension.ID, SegmentBook.class).remove(state, name);
            return null;
        });
    }

    /** Members, paged by person index: pass the answer's {@code next} as {@code after}. */
    @GetMapping("/{name}/people")
    Map<String, Object> people(TenantId tenant, @PathVariable String name,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "-1") int after) {
        PersonPages.requireLimit(limit);
        return engine.ask(tenant.value(), state -> {
            SegmentBook book = state.part(SegmentExtension.ID, SegmentBook.class);
            if (book.definitions().stream().noneMatch(d -> d.name().equals(name))) {
                throw new NotFound("no segment or rule tag '" + name + "'");
            }
            return PersonPages.page(tenant.value(), book.members(state, name), limit, after);
        });
    }

    /** Recent entries and exits, newest first. */
    @GetMapping("/{name}/history")
    java.util.List<Map<String, Object>> history(TenantId tenant, @PathVariable String name,
            @RequestParam(defaultValue = "100") int limit) {
        return engine.ask(tenant.value(), state -> state.part(SegmentExtension.ID, SegmentBook.class)
                .history(name, Math.min(Math.max(limit, 1), 1000)).stream().map(c -> {
                    Map<String, Object> change = new LinkedHashMap<>();
                    change.put("at", java.time.Instant.ofEpochMilli(c.at()));
                    change.put("person", io.siyu.identity.PersonId.of(tenant.value(), c.person()).toString());
                    change.put("event", c.entered()
                            ? (c.kind() == Definition.Kind.TAG ? "Tag Assigned" : "Segment Entered")
                            : (c.kind() == Definition.Kind.TAG ? "Tag Removed" : "Segment Exited"));
                    return change;
                }).toList());
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
            count = engine.ask(tenant.value(), state -> new SegmentCounter(state, now).count(condition));
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
