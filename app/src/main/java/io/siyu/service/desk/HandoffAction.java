package io.siyu.service.desk;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import io.siyu.service.dialogue.BotTurn.Priority;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The {@code handoff} action: a journey hands a person to a human queue (e.g. the category
 * specialist of the dormant-customer journey). Parameters: {@code queue} (the skill, required),
 * {@code reason}, {@code priority} (NORMAL, HIGH, URGENT). Idempotent on the action id: the ticket
 * carries it under a unique index, so a retried action answers the same ticket.
 */
@Component
class HandoffAction implements ActionProvider {

    static final String TYPE = "handoff";

    private final ServiceDesk desk;
    private final ProfileDirectory profiles;

    HandoffAction(ServiceDesk desk, ProfileDirectory profiles) {
        this.desk = desk;
        this.profiles = profiles;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ActionOutcome perform(ActionRequest request) {
        String queue = request.parameter("queue", "").strip();
        if (queue.isEmpty() || queue.length() > 64) {
            return new ActionOutcome.Failed("handoff needs a queue parameter (1–64 chars)");
        }
        Priority priority;
        try {
            priority = Priority.valueOf(request.parameter("priority", "NORMAL"));
        } catch (IllegalArgumentException e) {
            return new ActionOutcome.Failed("unknown priority " + request.parameter("priority", ""));
        }
        Optional<ProfileView> profile = profiles.find(request.tenant(), request.person());
        String person = profile.flatMap(p -> p.identities().stream().filter(i -> !i.startsWith("anonymous_id:") && !i.startsWith("phone:")).findFirst())
                .or(() -> profile.flatMap(p -> p.identities().stream().findFirst()))
                .orElse(null);
        if (person == null) {
            return new ActionOutcome.Failed("person " + request.person().value() + " has no identifier to open a ticket for");
        }
        long ticket = desk.openTicket(request.tenant(), null, person, "handoff", queue, request.parameter("reason", "journey"),
                priority, Map.of("origin", request.origin()), null, request.actionId());
        return new ActionOutcome.Done("ticket #" + ticket + " in queue " + queue, Map.of("ticket_id", Long.toString(ticket)));
    }
}
