package io.siyu.compliance;

import io.siyu.action.SuitabilityGate;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The send path's view of finance suitability and risk rules: a message offering a product rated
 * above the person's assessment is refused ({@link ProductSuitability}), and so is marketing (any
 * product offer counts) to a person frozen by a risk rule ({@link RiskRegister}). The send policy
 * records the refusal as the suppression's reason.
 */
@Component
class RiskSendGate implements SuitabilityGate {

    static final String FROZEN = "risk:frozen";

    private final ProductSuitability suitability;
    private final RiskRegister register;

    RiskSendGate(ProductSuitability suitability, RiskRegister register) {
        this.suitability = suitability;
        this.register = register;
    }

    @Override
    public @Nullable String refusal(TenantId tenant, PersonId person, @Nullable String product, boolean marketing) {
        if (product != null && suitability.check(tenant, person, product) instanceof Suitability.Unsuitable unsuitable) {
            return unsuitable.reason();
        }
        if ((marketing || product != null) && register.frozen(tenant, person)) {
            return FROZEN;
        }
        return null;
    }
}
