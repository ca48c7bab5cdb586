package io.siyu.engine.wiring;

import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.identity.PersonalIdentifiers;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Answers profile reads on the owning partition's thread. */
@Component
class EngineProfileDirectory implements ProfileDirectory {

    private final Engine engine;
    private final PersonalIdentifiers personal;

    EngineProfileDirectory(Engine engine, FieldCipher cipher) {
        this.engine = engine;
        this.personal = new PersonalIdentifiers(cipher);
    }

    @Override
    public Optional<ProfileView> find(TenantId tenant, PersonId person) {
        if (person.tenant() != tenant.value() || person.index() < 0) {
            return Optional.empty();
        }
        long now = engine.clock().millis();
        return Optional.ofNullable(engine.ask(tenant.value(), state -> state.view(person.index(), now)));
    }

    @Override
    public Optional<ProfileView> find(TenantId tenant, Identifier given) {
        Identifier identifier = personal.forLookup(tenant, given); // e-mail addresses are held as their blind index
        long now = engine.clock().millis();
        return Optional.ofNullable(engine.ask(tenant.value(), state -> {
            int person = state.graph().lookup(identifier);
            if (person < 0 && !identifier.equals(given)) {
                person = state.graph().lookup(given); // logged in clear before e-mail was sealed
            }
            return person < 0 ? null : state.view(person, now);
        }));
    }
}
