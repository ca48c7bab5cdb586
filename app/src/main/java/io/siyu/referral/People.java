package io.siyu.referral;

import io.siyu.engine.Engine;
import io.siyu.engine.TenantState;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Who people are, as the engine's identity graph knows them now (following merges). */
@Component("referralPeople")
class People {

    /** Identifier types, most preferred first, that events and coupons can name a person by (a phone is only a hash). */
    private static final List<IdentifierType> NAMEABLE = List.of(IdentifierType.USER_ID, IdentifierType.UNIONID,
            IdentifierType.WECOM_EXTERNAL_USERID, IdentifierType.OPENID, IdentifierType.EMAIL, IdentifierType.ANONYMOUS_ID);

    /** A person and their identifiers. */
    record Known(PersonId id, List<Identifier> identifiers) {

        /** The identifier events and coupons name the person by, or null when they only have a phone. */
        @Nullable String nameable() {
            for (IdentifierType type : NAMEABLE) {
                for (Identifier identifier : identifiers) {
                    if (identifier.type() == type) {
                        return identifier.toString();
                    }
                }
            }
            return null;
        }

        /** Signals that name one human across accounts: phone hashes and WeChat unionids. */
        Set<String> signals() {
            Set<String> out = new TreeSet<>();
            for (Identifier identifier : identifiers) {
                if (identifier.type() == IdentifierType.PHONE_HASH || identifier.type() == IdentifierType.UNIONID) {
                    out.add(identifier.toString());
                }
            }
            return out;
        }
    }

    private final Engine engine;

    People(Engine engine) {
        this.engine = engine;
    }

    Optional<Known> find(TenantId tenant, Identifier identifier) {
        return Optional.ofNullable(engine.ask(tenant.value(), state -> {
            int person = state.graph().lookup(identifier);
            return person < 0 ? null : known(state, person);
        }));
    }

    /** The people behind these indexes (or ids), in order; null where nobody is known. */
    List<@Nullable Known> byIndex(TenantId tenant, List<Integer> indexes) {
        return engine.ask(tenant.value(), state -> {
            List<@Nullable Known> out = new ArrayList<>(indexes.size());
            for (int index : indexes) {
                out.add(index < 0 || index >= state.graph().size() ? null : known(state, index));
            }
            return out;
        });
    }

    Known of(TenantId tenant, PersonId person) {
        Known known = byIndex(tenant, List.of(person.index())).getFirst();
        return known != null ? known : new Known(person, List.of());
    }

    private static Known known(TenantState state, int person) {
        int canonical = state.graph().canonical(person);
        return new Known(PersonId.of(state.tenant(), canonical), state.graph().identifiersOf(canonical));
    }
}
