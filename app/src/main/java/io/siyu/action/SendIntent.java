package io.siyu.action;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;

/**
 * A message about to go out, as the send policies see it.
 *
 * @param channel   channel provider id, e.g. {@code wecom}, {@code sms}, {@code email}
 * @param marketing false for service messages (order notices, replies), which skip marketing consent and caps
 * @param text      the rendered text, for the content gate
 * @param at        epoch millis the send would happen (engine clock)
 */
public record SendIntent(TenantId tenant, PersonId person, String channel, boolean marketing, String text, long at) {}
