package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.ConsentGate;
import io.siyu.action.Purpose;
import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import org.springframework.stereotype.Component;

/**
 * The {@link ConsentGate} every send and every personalisation asks: the answer the engine holds,
 * following merges. An erased person has refused everything.
 */
@Component
class EngineConsentGate implements ConsentGate {

    private final Engine engine;
    private final Erasures erasures;

    EngineConsentGate(Engine engine, Erasures erasures) {
        this.engine = engine;
        this.erasures = erasures;
    }

    @Override
    public Consent consentOf(TenantId tenant, PersonId person, Purpose purpose) {
        if (person.tenant() != tenant.value() || person.index() < 0) {
            return Consent.REFUSED;
        }
        if (erasures.isErased(tenant, person.toString())) {
            return Consent.REFUSED;
        }
        return engine.ask(tenant.value(), state -> state.part(ConsentExtension.ID, ConsentBook.class)
                .consentOf(state.graph().canonical(person.index()), purpose));
    }
}
