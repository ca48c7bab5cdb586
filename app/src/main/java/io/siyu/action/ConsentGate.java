package io.siyu.action;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;

/**
 * The person's consent, asked before every send and every personalisation. The compliance
 * capability provides the real one; until a bean exists, callers treat everyone as {@link Consent#ALL}.
 */
public interface ConsentGate {

    Consent consentOf(TenantId tenant, PersonId person, Purpose purpose);
}
