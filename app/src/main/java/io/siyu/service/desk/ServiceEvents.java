package io.siyu.service.desk;

import io.siyu.identity.Identifier;
import io.siyu.ingestion.Intake;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service facts as profile events (Question Asked, Ticket Opened, Ticket Closed, Complaint Filed),
 * through the same intake as any other source, so they are durable, replayable and visible to
 * tags, segments and journeys. A message id derived from the fact makes a retry a duplicate, not
 * a second event.
 */
@Component
class ServiceEvents {

    private final Intake intake;
    private final JsonMapper json;

    ServiceEvents(Intake intake, JsonMapper json) {
        this.intake = intake;
        this.json = json;
    }

    void record(TenantId tenant, String person, String event, String messageId, Map<String, Object> properties) {
        Identifier id = Identifier.parse(person);
        ObjectNode message = json.createObjectNode();
        message.put("type", "track").put("event", event).put("messageId", messageId);
        message.putObject("context").put("channel", "service").putObject("identities").put(id.type().key(), id.value());
        message.set("properties", json.valueToTree(properties));
        Intake.Result result = intake.accept(tenant, List.of(new Intake.Message(message, null, "service", message.toString())), "service", null);
        if (!result.quarantined().isEmpty()) {
            throw new IllegalStateException("service event " + event + " was quarantined: " + result.quarantined().getFirst().errors());
        }
    }
}
