package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.ConsentGate;
import io.siyu.action.Purpose;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Where personalised content is chosen (recommendations, personalised copy, a template's person
 * variables), this picks the personalised variant only for people who consented to
 * personalisation in full, and the non-personalised fallback for everyone else. The personalised
 * variant is not even computed for them, so their data is not used.
 */
@Component
public class Personalisation {

    private final ConsentGate consent;

    Personalisation(ConsentGate consent) {
        this.consent = consent;
    }

    /** The personalised variant when the person's personalisation consent is {@link Consent#ALL}, else the fallback. */
    public <T> T choose(TenantId tenant, PersonId person, Supplier<T> personalised, Supplier<T> fallback) {
        return consent.consentOf(tenant, person, Purpose.PERSONALISATION) == Consent.ALL ? personalised.get() : fallback.get();
    }
}
