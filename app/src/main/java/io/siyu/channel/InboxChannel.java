package io.siyu.channel;

import io.siyu.identity.PersonId;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The in-app inbox as a channel. Idempotent: the outbox message id is unique in the inbox, so a
 * retried send is one message. Needs no configuration.
 */
@Component
class InboxChannel implements ChannelProviderFactory {

    private final Inbox inbox;
    private final Clock clock;

    InboxChannel(Inbox inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "inapp";
    }

    @Override
    public String help() {
        return "站内信 / in-app inbox, read through /api/v1/inbox; no settings";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of();
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        return new ChannelProvider() {
            @Override
            public String id() {
                return "inapp";
            }

            @Override
            public Delivery send(OutgoingMessage message) {
                inbox.put(message.tenant(), PersonId.parse(message.address()), message.messageId(), message.subject(),
                        message.body(), clock.instant());
                return new Delivery.Sent(message.messageId(), true);
            }
        };
    }
}
