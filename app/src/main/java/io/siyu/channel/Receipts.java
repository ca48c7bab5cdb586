package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.ingestion.Intake;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what happened to a message (sent, delivered, opened, clicked) into Message … events for
 * the person, through the intake like any other event, so journeys and segments can react to them.
 */
@Component
public class Receipts {

    /** Identifier types that name one person, most specific first; a phone hash cannot be re-sent. */
    private static final List<String> PREFERRED = List.of("user_id:", "wecom_external_userid:", "unionid:", "openid:",
            "email:", "anonymous_id:");

    private final Intake intake;
    private final ProfileDirectory profiles;
    private final JsonMapper json;

    Receipts(Intake intake, ProfileDirectory profiles, JsonMapper json) {
        this.intake = intake;
        this.profiles = profiles;
        this.json = json;
    }

    /**
     * Records one receipt. {@code eventId} makes it idempotent: the same id twice is one event.
     *
     * @return false when the person is unknown (a message to a system, or a person since erased)
     */
    public boolean record(TenantId tenant, @Nullable PersonId person, String event, String eventId, String messageId,
            String channel, Map<String, String> extra) {
        if (person == null) {
            return false;
        }
        Optional<String> identifier = profiles.find(tenant, person).flatMap(Receipts::identifier);
        if (identifier.isEmpty()) {
            return false;
        }
        int colon = identifier.get().indexOf(':');
        ObjectNode message = json.createObjectNode();
        message.put("type", "track").put("event", event).put("messageId", eventId);
        message.putObject("context").put("channel", channel).putObject("identities")
                .put(identifier.get().substring(0, colon), identifier.get().substring(colon + 1));
        ObjectNode properties = message.putObject("properties").put("message_id", messageId).put("channel", channel);
        extra.forEach(properties::put);
        Intake.Result result = intake.accept(tenant, List.of(new Intake.Message(message, null, "receipt", message.toString())),
                "channel", null);
        if (!result.quarantined().isEmpty()) {
            throw new IllegalStateException("receipt " + event + " for " + messageId + " was quarantined: "
                    + result.quarantined().getFirst().errors());
        }
        return true;
    }

    private static Optional<String> identifier(ProfileView profile) {
        for (String prefix : PREFERRED) {
            for (String id : profile.identities()) {
                if (id.startsWith(prefix)) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }
}
