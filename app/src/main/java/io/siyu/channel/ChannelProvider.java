package io.siyu.channel;

import java.time.Duration;

/**
 * Sends rendered messages over one channel. Made by a {@link ChannelProviderFactory} from validated
 * configuration; called by the outbox worker, never concurrently for the same message id.
 *
 * <p>Each implementation documents in its javadoc whether the remote accepts an idempotency key:
 * where it does not, a retry after a timeout may deliver a second copy, so such providers answer
 * {@link Delivery.Rejected} rather than {@link Delivery.RetryLater} for errors that happen after the
 * remote may already have accepted the message.
 */
public interface ChannelProvider {

    /** The factory's id, e.g. {@code email}. */
    String id();

    /** Sends one message; never throws for remote errors, it answers a {@link Delivery}. */
    Delivery send(OutgoingMessage message);

    /** What became of one attempt. */
    sealed interface Delivery {

        /**
         * Accepted by the remote; {@code reference} is its id for the message, or empty.
         * {@code delivered} says the acceptance is itself delivery (a webhook's 2xx, the inbox), as
         * opposed to a relay that will deliver later (SMTP, SMS gateways).
         */
        record Sent(String reference, boolean delivered) implements Delivery {}

        /** A transient failure (timeout before sending, 429, 5xx): try again, not before {@code after}. */
        record RetryLater(Duration after, String reason) implements Delivery {}

        /** Will not succeed by retrying (bad address, rejected content, misconfiguration). */
        record Rejected(String reason) implements Delivery {}
    }
}
