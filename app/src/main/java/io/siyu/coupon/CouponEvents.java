package io.siyu.coupon;

import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.ingestion.Intake;
import io.siyu.ingestion.Normaliser;
import io.siyu.profile.Traits;
import io.siyu.platform.TenantId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

    /** Longest identifier value the intake takes as is ({@code Normaliser.MAX_ID_LENGTH}). */
    private static final int MAX_ID_LENGTH = 256;

    private final Intake intake;
    private final Normaliser normaliser;
    private final Coupons coupons;
    private final JsonMapper json;
    /** The context every coupon event is logged with once its identities are taken out. */
    private final byte[] context;

    CouponEvents(Intake intake, Normaliser normaliser, Coupons coupons, JsonMapper json) {
        this.intake = intake;
        this.normaliser = normaliser;
        this.coupons = coupons;
        this.json = json;
        this.context = json.writeValueAsBytes(json.createObjectNode().put("channel", "coupon"));
    }

    /**
     * The event a new coupon owes (Coupon Claimed or Coupon Issued), exactly as the intake would
     * normalise its message, for the log writer to record in the transaction that stores the
     * coupon. Plain identifiers (and an e-mail address's blind index, as coupon rows keep it) are
     * built directly (no JSON message, no parse); phones and e-mail addresses in clear go through the
     * normaliser, which hashes and seals them.
     *
     * @throws IllegalArgumentException when the message would be quarantined
     */
    Event event(Coupons.NewCoupon coupon, long receivedAt) {
        Coupons.Owed owed = new Coupons.Owed(coupon.tenant(), coupon.code(), coupon.template().id(), coupon.identifier(),
                coupon.event(), null, null);
        int colon = coupon.identifier().indexOf(':');
        @Nullable IdentifierType type = colon <= 0 ? null : IdentifierType.fromKey(coupon.identifier().substring(0, colon)).orElse(null);
        String value = coupon.identifier().substring(colon + 1);
        boolean clearEmail = type == IdentifierType.EMAIL && value.indexOf('@') >= 0; // an address to hash; else its blind index
        if (type != null && type != IdentifierType.PHONE_HASH && !clearEmail && !value.isBlank()
                && value.length() <= MAX_ID_LENGTH) {
            ObjectNode properties = json.createObjectNode().put("coupon_id", coupon.code()).put("template_id", coupon.template().id());
            return new Event(coupon.tenant().value(), 0, EventKind.TRACK, coupon.event(), receivedAt, receivedAt, messageId(owed),
                    List.of(new Identifier(type, value)), new Traits(), -1, null, List.of(), "coupon", null, List.of(),
                    json.writeValueAsBytes(properties), context);
        }
        return switch (normaliser.normalise(coupon.tenant(), message(owed), null, "coupon", receivedAt, null, "coupon")) {
            case Normaliser.Outcome.Accepted accepted -> accepted.event();
            case Normaliser.Outcome.Rejected rejected -> throw new IllegalArgumentException(
                    "the coupon event would be quarantined: " + rejected.violations());
        };
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
                ObjectNode m = message(o);
                messages.add(new Intake.Message(m, null, "coupon", m.toString()));
            }
            Intake.Result result = intake.accept(entry.getKey(), messages, "coupon", null);
            if (!result.quarantined().isEmpty()) {
                throw new IllegalStateException("coupon events were quarantined: " + result.quarantined().getFirst().errors());
            }
        }
    }

    private static String messageId(Coupons.Owed o) {
        return "coupon-" + o.event().substring("Coupon ".length()).toLowerCase() + "-" + o.code();
    }

    /** The track message of an owed event, as the intake takes it. */
    ObjectNode message(Coupons.Owed o) {
        ObjectNode m = json.createObjectNode();
        m.put("type", "track").put("event", o.event()).put("messageId", messageId(o));
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
        return m;
    }
}
