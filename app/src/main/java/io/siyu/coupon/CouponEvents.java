package io.siyu.coupon;

import io.siyu.ingestion.Intake;
import io.siyu.platform.TenantId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records what coupon rows owe the log as Coupon … events, through the intake. Message ids are
 * derived from the coupon code and the event, so recording the same owed event twice (after a
 * crash between the log write and clearing the row's flag) is one event.
 */
@Component
class CouponEvents {

    private final Intake intake;
    private final Coupons coupons;
    private final JsonMapper json;

    CouponEvents(Intake intake, Coupons coupons, JsonMapper json) {
        this.intake = intake;
        this.coupons = coupons;
        this.json = json;
    }

    /** Records the events and clears the rows' flags; throws when the log did not take them. */
    void record(List<Coupons.Owed> owed) {
        append(owed);
        coupons.recorded(owed);
    }

    /** Records the events in the log only (coupons owing through an owed batch have no flag to clear). */
    void append(List<Coupons.Owed> owed) {
        Map<TenantId, List<Coupons.Owed>> byTenant = new LinkedHashMap<>();
        owed.forEach(o -> byTenant.computeIfAbsent(o.tenant(), t -> new ArrayList<>()).add(o));
        for (Map.Entry<TenantId, List<Coupons.Owed>> entry : byTenant.entrySet()) {
            List<Intake.Message> messages = new ArrayList<>(entry.getValue().size());
            for (Coupons.Owed o : entry.getValue()) {
                ObjectNode m = json.createObjectNode();
                m.put("type", "track").put("event", o.event())
                        .put("messageId", "coupon-" + o.event().substring("Coupon ".length()).toLowerCase() + "-" + o.code());
                int colon = o.identifier().indexOf(':');
                m.putObject("context").put("channel", "coupon").putObject("identities")
                        .put(o.identifier().substring(0, colon), o.identifier().substring(colon + 1));
                ObjectNode p = m.putObject("properties").put("coupon_id", o.code()).put("template_id", o.templateId());
                if (o.orderId() != null) {
                    p.put("order_id", o.orderId());
                }
                if (o.discountFen() != null) {
                    p.put("discount", BigDecimal.valueOf(o.discountFen(), 2));
                }
                messages.add(new Intake.Message(m, null, "coupon", m.toString()));
            }
            Intake.Result result = intake.accept(entry.getKey(), messages, "coupon", null);
            if (!result.quarantined().isEmpty()) {
                throw new IllegalStateException("coupon events were quarantined: " + result.quarantined().getFirst().errors());
            }
        }
    }
}
