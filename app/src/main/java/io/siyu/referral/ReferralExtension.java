package io.siyu.referral;

import io.siyu.engine.EngineExtension;
import java.io.DataInput;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Installs the {@link ReferralBook} in every tenant's engine state, and tells the attributor which tenants have conversions. */
@Component
@Order(40)
class ReferralExtension implements EngineExtension {

    static final String ID = "referral";

    private final JsonMapper json;
    private final Set<Integer> withPending = ConcurrentHashMap.newKeySet();

    ReferralExtension(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Part create(int tenant) {
        return new ReferralBook(json, () -> withPending.add(tenant));
    }

    @Override
    public Part read(int tenant, DataInput in) throws IOException {
        return ReferralBook.read(json, () -> withPending.add(tenant), in);
    }

    /** Takes the tenants that got conversions since the last call. */
    Set<Integer> drainTenantsWithPending() {
        Set<Integer> out = Set.copyOf(withPending);
        withPending.removeAll(out);
        return out;
    }
}
