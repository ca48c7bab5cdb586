package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.ConsentGate;
import io.siyu.action.Purpose;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.function.Function;
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
        return choose(tenant, person, personalised, answer -> fallback.get());
    }

    /**
     * As {@link #choose(TenantId, PersonId, Supplier, Supplier)}, with the fallback told the
     * person's answer (necessary only, refused) so it can say why it was chosen. One consent
     * lookup either way.
     */
    public <T> T choose(TenantId tenant, PersonId person, Supplier<T> personalised, Function<Consent, T> fallback) {
        Consent answer = consent.consentOf(tenant, person, Purpose.PERSONALISATION);
        return answer == Consent.ALL ? personalised.get() : fallback.apply(answer);
    }
}
