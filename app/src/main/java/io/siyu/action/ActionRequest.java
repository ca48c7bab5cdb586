package io.siyu.action;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.Map;

/**
 * One thing to do for one person, as the durable outbox hands it to a provider.
 *
 * @param actionId   stable across retries and restarts: providers must perform an action id at
 *                   most once (remember it, or pass it on as the remote idempotency key)
 * @param type       the provider's {@link ActionProvider#type()}, e.g. {@code message}, {@code coupon}
 * @param parameters what the journey node configured (channel, template, coupon template, queue …)
 * @param context    what a template may use: the person's traits, scores and tags, and the
 *                   journey's variables (trigger event properties), already consent-filtered
 * @param origin     who asked, for reporting and audit, e.g. {@code journey:welcome@3/node:send-1}
 */
public record ActionRequest(
        TenantId tenant,
        String actionId,
        PersonId person,
        String type,
        Map<String, String> parameters,
        Map<String, Object> context,
        String origin) {

    public ActionRequest {
        parameters = Map.copyOf(parameters);
        context = Map.copyOf(context);
    }

    public String parameter(String name, String fallback) {
        return parameters.getOrDefault(name, fallback);
    }
}
