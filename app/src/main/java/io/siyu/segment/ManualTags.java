package io.siyu.segment;

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
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives and takes manual tags by identifier. Every change goes through the log as a Tag Assigned /
 * Tag Removed event, so it is durable, replayable and visible to journeys like any other event;
 * people not seen before get a profile.
 */
@Component
class ManualTags {

    static final int MAX_PEOPLE_PER_REQUEST = 10_000;

    private final Intake intake;
    private final JsonMapper json;

    ManualTags(Intake intake, JsonMapper json) {
        this.intake = intake;
        this.json = json;
    }

    /**
     * @param eventName {@link TagBook#ASSIGNED} or {@link TagBook#REMOVED}
     * @throws InvalidInput naming each bad identifier by its index, or a missing or oversized list
     */
    Map<String, Object> change(TenantId tenant, String tag, @Nullable List<String> identifiers, @Nullable String group,
            String eventName) {
        PersonPages.requireName("tag", tag);
        if (identifiers == null || identifiers.isEmpty()) {
            throw new InvalidInput("identifiers", "required", "name at least one person as type:value");
        }
        if (identifiers.size() > MAX_PEOPLE_PER_REQUEST) {
            throw new InvalidInput("identifiers", "max-items", "at most " + MAX_PEOPLE_PER_REQUEST + " people per request");
        }
        if (group != null) {
            PersonPages.requireName("group", group);
        }
        List<Violation> violations = new ArrayList<>();
        List<Intake.Message> messages = new ArrayList<>();
        for (int i = 0; i < identifiers.size(); i++) {
            String raw = identifiers.get(i);
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
            if (group != null) {
                properties.put("group", group);
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
