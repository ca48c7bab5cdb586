package io.siyu.referral;

import io.siyu.ingestion.Intake;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records what happened in referral campaigns as events, through the intake, so profiles, tags and
 * journeys see them. Message ids are derived from what they describe, so recording the same fact
 * twice (a sweep after a crash) is one event.
 */
@Component
class ReferralEvents {

    static final String ATTRIBUTED = "Referral Attributed";
    static final String REWARDED = "Referral Rewarded";
    static final String TASK_COMPLETED = "Help Task Completed";

    /** One event about one person, named by an identifier ({@code type:value}). */
    record Fact(String identifier, String event, String messageId, Map<String, String> properties) {}

    private final Intake intake;
    private final JsonMapper json;

    ReferralEvents(Intake intake, JsonMapper json) {
        this.intake = intake;
        this.json = json;
    }

    /** Records the facts; throws when the log did not take them. */
    void record(TenantId tenant, List<Fact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        List<Intake.Message> messages = new ArrayList<>(facts.size());
        for (Fact fact : facts) {
            ObjectNode m = json.createObjectNode();
            m.put("type", "track").put("event", fact.event()).put("messageId", fact.messageId());
            int colon = fact.identifier().indexOf(':');
            m.putObject("context").put("channel", "referral").putObject("identities")
                    .put(fact.identifier().substring(0, colon), fact.identifier().substring(colon + 1));
            ObjectNode properties = m.putObject("properties");
            fact.properties().forEach(properties::put);
            messages.add(new Intake.Message(m, null, "referral", m.toString()));
        }
        Intake.Result result = intake.accept(tenant, messages, "referral", null);
        if (!result.quarantined().isEmpty()) {
            throw new IllegalStateException("referral events were quarantined: " + result.quarantined().getFirst().errors());
        }
    }
}
