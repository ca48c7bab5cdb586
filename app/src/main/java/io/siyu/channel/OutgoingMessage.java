package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * A rendered message ready for a {@link ChannelProvider}.
 *
 * @param messageId the outbox key, stable across retries; providers pass it on as the idempotency
 *     key where the remote supports one
 * @param person the recipient, or null for messages to a system (webhooks)
 * @param address channel-specific: an e-mail address, a phone number, a webhook endpoint name, a
 *     person id for the inbox
 * @param subject e-mail subject or inbox title; null where the channel has none
 * @param body the rendered body (HTML for e-mail, plain text elsewhere)
 */
public record OutgoingMessage(
        TenantId tenant,
        String messageId,
        @Nullable PersonId person,
        String channel,
        String address,
        @Nullable String subject,
        String body) {}
