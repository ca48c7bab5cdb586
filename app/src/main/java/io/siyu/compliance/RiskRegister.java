package io.siyu.compliance;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import org.springframework.stereotype.Component;

/**
 * Whether a person is frozen by a risk rule: coupon redemption, point exchange, payouts and sends
 * ask before acting. A freeze lasts until an operator clears the case. Must not be called on an
 * engine partition thread (it asks the engine for detections not yet stored).
 */
@Component
public class RiskRegister {

    private final RiskCollector collector;
    private final RiskCases cases;

    RiskRegister(RiskCollector collector, RiskCases cases) {
        this.collector = collector;
        this.cases = cases;
    }

    public boolean frozen(TenantId tenant, PersonId person) {
        collector.collect(tenant.value());
        return cases.frozen(tenant, person);
    }
}
