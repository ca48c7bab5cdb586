package io.siyu.segment;

import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.ingestion.Intake;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Manual tags: operators and systems give and take tags by identifier. Every change goes through
 * the log as a Tag Assigned / Tag Removed event, so it is durable, replayable and visible to
 * journeys like any other event.
 */
@RestController
@RequestMapping("/api/v1/tags")
class TagController {

    static final int MAX_PEOPLE_PER_REQUEST = 10_000;

    record People(@Nullable List<String> identifiers, @Nullable String group) {}

    private final Engine engine;
    private final Intake intake;
    private final JsonMapper json;

    TagController(Engine engine, Intake intake, JsonMapper json) {
        this.engine = engine;
        this.intake = intake;
        this.json = json;
    }

    @GetMapping
    List<TagBook.TagCount> tags(TenantId tenant) {
        return engine.ask(tenant.value(), state -> state.part(TagExtension.ID, TagBook.class).counts());
    }

    @PostMapping("/{tag}/people")
    Map<String, Object> assign(TenantId tenant, @PathVariable String tag, @RequestBody People people) {
        return change(tenant, tag, people, TagBook.ASSIGNED);
    }

    @PostMapping("/{tag}/people/remove")
    Map<String, Object> remove(TenantId tenant, @PathVariable String tag, @RequestBody People people) {
        return change(tenant, tag, people, TagBook.REMOVED);
    }

    @GetMapping("/{tag}/people")
    Map<String, Object> members(TenantId tenant, @PathVariable String tag, @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "-1") int after) {
        PersonPages.requireName("tag", tag);
        PersonPages.requireLimit(limit);
        return engine.ask(tenant.value(), state -> {
            Map<String, Object> page = PersonPages.page(tenant.value(),
                    state.part(TagExtension.ID, TagBook.class).members(tag), limit, after);
            page.put("tag", tag);
            return page;
        });
    }

    private Map<String, Object> change(TenantId tenant, String tag, People people, String eventName) {
        PersonPages.requireName("tag", tag);
        if (people.identifiers() == null || people.identifiers().isEmpty()) {
            throw new InvalidInput("identifiers", "required", "name at least one person as type:value");
        }
        if (people.identifiers().size() > MAX_PEOPLE_PER_REQUEST) {
            throw new InvalidInput("identifiers", "max-items", "at most " + MAX_PEOPLE_PER_REQUEST + " people per request");
        }
        if (people.group() != null) {
            PersonPages.requireName("group", people.group());
        }
        List<Violation> violations = new ArrayList<>();
        List<Intake.Message> messages = new ArrayList<>();
        for (int i = 0; i < people.identifiers().size(); i++) {
            String raw = people.identifiers().get(i);
            Identifier id;
            try {
                id = Identifier.parse(raw == null ? "" : raw);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("identifiers[" + i + "]", "format", e.getMessage()));
                continue;
            }
            ObjectNode message = json.createObjectNode();
            message.put("type", "track").put("event", eventName).put("messageId", "tag-" + UUID.randomUUID());
            message.putObject("context").put("channel", "console").putObject("identities").put(id.type().key(), id.value());
            ObjectNode properties = message.putObject("properties").put("tag", tag).put("source", "manual");
            if (people.group() != null) {
                properties.put("group", people.group());
            }
            messages.add(new Intake.Message(message, null, "identifiers[" + i + "]", message.toString()));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        Intake.Result result = intake.accept(tenant, messages, "console", null);
        return Map.of("tag", tag, "accepted", result.accepted(), "quarantined", result.quarantined());
    }
}
