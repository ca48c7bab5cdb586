package io.siyu.channel;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import org.springframework.stereotype.Component;

/**
 * The {@code message} action of journeys: parameters {@code template} (required), {@code channel}
 * (optional, must match the template's), {@code to} (optional address), {@code endpoint} (webhooks),
 * and any other parameter as a template variable. Done means the message is in the durable outbox.
 */
@Component
class MessageAction implements ActionProvider {

    private final Dispatcher dispatcher;

    MessageAction(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public String type() {
        return "message";
    }

    @Override
    public ActionOutcome perform(ActionRequest request) {
        return dispatcher.dispatch(request);
    }
}
