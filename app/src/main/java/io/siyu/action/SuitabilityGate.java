package io.siyu.action;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * Financial suitability and risk holds, asked before a message goes out: a person is never sent a
 * product rated above their risk assessment, and a person frozen by a risk rule is not sent
 * marketing. The compliance capability provides the real one; until a bean exists, callers pass
 * everything.
 */
public interface SuitabilityGate {

    /**
     * @param product   the financial product the message offers (the send's {@value ProductSendPolicy#PARAMETER}
     *                  parameter), or null when it offers none
     * @param marketing whether the message is marketing
     * @return null to let it go, or why not (e.g. {@code risk:above-assessment:R4>R2}, {@code risk:frozen})
     */
    @Nullable String refusal(TenantId tenant, PersonId person, @Nullable String product, boolean marketing);
}
