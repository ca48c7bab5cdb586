package io.siyu.coupon;

import io.siyu.identity.PersonId;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Issues and claims coupons: the template's rules, abuse signals, the in-memory stock, then a
 * group-committed row and its event. An issue with an action id is idempotent on it.
 */
@Service
public class CouponDesk {

    /** The outcome of an issue or claim. */
    public sealed interface Outcome {
        record Issued(String code, String templateId, Instant expiresAt, boolean repeated) implements Outcome {}

        /** Not issued: {@code reason} is e.g. {@code stock:sold-out}, {@code limit:per-person}, {@code abuse:device}. */
        record Refused(String reason) implements Outcome {}
    }

    /** What a claim tells about where it came from; each may be null. */
    public record Signals(@Nullable String device, @Nullable String phone, @Nullable String paymentAccount) {
        public static final Signals NONE = new Signals(null, null, null);
    }

    private record Key(int tenant, String template) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final CouponTemplates templates;
    private final Coupons coupons;
    private final ClaimWriter writer;
    private final CouponEvents events;
    private final FieldCipher cipher;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final int accountsPerSignal;
    private final ConcurrentHashMap<Key, CouponStock> stocks = new ConcurrentHashMap<>();

    CouponDesk(CouponTemplates templates, Coupons coupons, ClaimWriter writer, CouponEvents events, FieldCipher cipher, JdbcClient jdbc, Clock clock,
            @Value("${siyu.coupons.accounts-per-signal:3}") int accountsPerSignal) {
        this.templates = templates;
        this.coupons = coupons;
        this.writer = writer;
        this.events = events;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.accountsPerSignal = accountsPerSignal;
    }

    /**
     * Gives a coupon to a person.
     *
     * @param identifier how the person is named in the event ({@code type:value})
     * @param claimed true when the person took it (Coupon Claimed), false when it was given (Coupon Issued)
     * @param actionId makes the issue idempotent (journey actions); null for none
     * @throws ServiceUnavailable when the coupon could not be stored in time
     */
    public Outcome issue(TenantId tenant, PersonId person, String identifier, String templateId, boolean claimed,
            @Nullable String actionId, Signals signals) {
        Optional<CouponTemplate> found = templates.find(tenant, templateId);
        if (found.isEmpty()) {
            return new Outcome.Refused("template:unknown");
        }
        CouponTemplate template = found.get();
        if (actionId != null) {
            Optional<Coupon> earlier = coupons.byAction(tenant, actionId);
            if (earlier.isPresent()) {
                return issued(earlier.get(), true);
            }
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // what PostgreSQL keeps
        if (!template.issuableAt(now)) {
            return new Outcome.Refused("template:ended");
        }
        String device = signals.device() == null ? null : cipher.blindIndex(tenant, "device", signals.device());
        String phone = signals.phone() == null ? null : cipher.blindIndex(tenant, "phone", signals.phone().replaceAll("[^0-9+]", ""));
        String payment = signals.paymentAccount() == null ? null : cipher.blindIndex(tenant, "payment", signals.paymentAccount());
        Optional<String> abuse = abuse(tenant, person, "device", device, now)
                .or(() -> abuse(tenant, person, "phone_hash", phone, now))
                .or(() -> abuse(tenant, person, "payment_account", payment, now));
        if (abuse.isPresent()) {
            return new Outcome.Refused(abuse.get());
        }
        CouponStock stock = stocks.computeIfAbsent(new Key(tenant.value(), templateId),
                k -> new CouponStock(template.totalStock(), coupons.serials(tenant, templateId)));
        int serial;
        switch (stock.reserve(person, template.perPersonLimit())) {
            case CouponStock.Reservation.SoldOut s -> {
                return new Outcome.Refused("stock:sold-out");
            }
            case CouponStock.Reservation.LimitReached l -> {
                return new Outcome.Refused("limit:per-person");
            }
            case CouponStock.Reservation.Reserved r -> serial = r.serial();
        }
        Coupons.NewCoupon coupon = new Coupons.NewCoupon(tenant, code(), template, serial, person, identifier, now,
                template.expiresAt(now), claimed ? "Coupon Claimed" : "Coupon Issued", actionId, device, phone, payment);
        try {
            writer.store(coupon).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClaimWriter.Unsettled) { // perhaps stored: the serial stays taken
                throw new ServiceUnavailable("the coupon could not be confirmed; retry with the same request", 5);
            }
            stock.release(serial, person);
            if (e.getCause() instanceof DuplicateKeyException && actionId != null) {
                return coupons.byAction(tenant, actionId).map(c -> issued(c, true))
                        .orElseThrow(() -> new IllegalStateException("duplicate action " + actionId + " but no coupon"));
            }
            throw new ServiceUnavailable("the coupon could not be stored: " + e.getCause().getMessage(), 1);
        } catch (TimeoutException e) {
            throw new ServiceUnavailable("the coupon could not be stored in time; retry with the same request", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stock.release(serial, person);
            throw new ServiceUnavailable("interrupted while storing the coupon", 1);
        }
        return new Outcome.Issued(coupon.code(), templateId, coupon.expiresAt(), false);
    }

    /** The outcome of redeeming a coupon against an order. */
    public sealed interface Redemption {
        record Redeemed(String code, String orderId, long discountFen, Checkout.Quote quote) implements Redemption {}

        /** {@code reason}: {@code coupon:unknown}, {@code coupon:not-yours}, {@code coupon:expired}, {@code coupon:redeemed}, {@code coupon:not-applicable} … */
        record Refused(String reason) implements Redemption {}
    }

    /**
     * Redeems a coupon against an order, pricing the cart with it. Repeating the same order is
     * answered with the first result; another order gets {@code coupon:redeemed}.
     */
    public Redemption redeem(TenantId tenant, PersonId person, String code, String orderId, Cart cart) {
        Optional<Coupon> found = coupons.find(tenant, code);
        if (found.isEmpty()) {
            return new Redemption.Refused("coupon:unknown");
        }
        Coupon coupon = found.get();
        if (!coupon.person().equals(person)) {
            return new Redemption.Refused("coupon:not-yours");
        }
        if (coupon.status() == Coupon.Status.REDEEMED) {
            return orderId.equals(coupon.orderId())
                    ? new Redemption.Redeemed(code, orderId, coupon.discountFen() == null ? 0 : coupon.discountFen(), Checkout.with(cart, coupon))
                    : new Redemption.Refused("coupon:redeemed");
        }
        Instant now = clock.instant();
        if (coupon.status() != Coupon.Status.ISSUED) {
            return new Redemption.Refused("coupon:" + coupon.status().name().toLowerCase());
        }
        if (!now.isBefore(coupon.expiresAt())) {
            return new Redemption.Refused("coupon:expired");
        }
        if (!coupon.template().startedAt(now)) {
            return new Redemption.Refused("coupon:not-started");
        }
        if (!Checkout.applies(cart, coupon)) {
            return new Redemption.Refused("coupon:not-applicable");
        }
        Checkout.Quote quote = Checkout.with(cart, coupon);
        long shippingWaived = coupon.template().kind() == CouponTemplate.Kind.FREE_SHIPPING
                ? Checkout.best(cart, List.of()).shippingFen() - quote.shippingFen() : 0;
        long discount = quote.couponDiscountFen() + shippingWaived;
        if (!coupons.redeem(tenant, code, orderId, discount, now)) {
            return redeem(tenant, person, code, orderId, cart); // lost a race: answer from the new state
        }
        events.record(List.of(new Coupons.Owed(tenant, code, coupon.template().id(), identifierOf(tenant, code), "Coupon Redeemed",
                orderId, discount)));
        return new Redemption.Redeemed(code, orderId, discount, quote);
    }

    /** Voids an unused coupon; its stock is not given back (a voided coupon was issued). */
    public boolean voidCoupon(TenantId tenant, String code) {
        if (!coupons.voidCoupon(tenant, code)) {
            return false;
        }
        Coupon coupon = coupons.find(tenant, code).orElseThrow();
        events.record(List.of(new Coupons.Owed(tenant, code, coupon.template().id(), identifierOf(tenant, code), "Coupon Voided",
                null, null)));
        return true;
    }

    /** The person's best coupon for a cart and the final price. */
    public Checkout.Quote quote(TenantId tenant, PersonId person, Cart cart) {
        Instant now = clock.instant();
        return Checkout.best(cart, coupons.ofPerson(tenant, person).stream().filter(c -> c.usableAt(now)).toList());
    }

    public List<Coupon> of(TenantId tenant, PersonId person) {
        return coupons.ofPerson(tenant, person);
    }

    public Optional<CouponTemplate> template(TenantId tenant, String id) {
        return templates.find(tenant, id);
    }

    private String identifierOf(TenantId tenant, String code) {
        return jdbc.sql("SELECT identifier FROM coupons WHERE tenant_id = ? AND code = ?").params(tenant.value(), code)
                .query(String.class).single();
    }

    /** Coupons left of a template, as the in-memory stock sees them (loaded on first use). */
    public int remaining(TenantId tenant, CouponTemplate template) {
        return stocks.computeIfAbsent(new Key(tenant.value(), template.id()),
                k -> new CouponStock(template.totalStock(), coupons.serials(tenant, template.id()))).remaining();
    }

    /**
     * Refuses a claim whose device, phone or payment account already claimed for
     * {@code accountsPerSignal - 1} other people, and records the flag (once per value).
     */
    private Optional<String> abuse(TenantId tenant, PersonId person, String column, @Nullable String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        int others = coupons.otherPeople(tenant, column, value, person);
        if (others + 1 < accountsPerSignal) {
            return Optional.empty();
        }
        String signal = column.equals("phone_hash") ? "phone" : column;
        jdbc.sql("""
                INSERT INTO coupon_abuse_flags (tenant_id, signal, value, people, flagged_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, signal, value) DO UPDATE SET people = excluded.people""")
                .params(tenant.value(), signal, value, others + 1, Timestamp.from(now)).update();
        return Optional.of("abuse:" + signal);
    }

    /** Flags raised so far, newest first: signal, hashed value, number of accounts, when. */
    public List<java.util.Map<String, Object>> flags(TenantId tenant) {
        return jdbc.sql("SELECT signal, value, people, flagged_at FROM coupon_abuse_flags WHERE tenant_id = ? ORDER BY flagged_at DESC, value")
                .param(tenant.value())
                .query((rs, row) -> java.util.Map.<String, Object>of("signal", rs.getString(1), "value", rs.getString(2),
                        "accounts", rs.getInt(3), "flaggedAt", rs.getTimestamp(4).toInstant().toString()))
                .list();
    }

    private static Outcome.Issued issued(Coupon coupon, boolean repeated) {
        return new Outcome.Issued(coupon.code(), coupon.template().id(), coupon.expiresAt(), repeated);
    }

    /**
     * 12 characters from an alphabet of 32 without look-alikes (no 0/O, 1/I): 60 bits, unguessable,
     * from one 64-bit draw (one call into the secure random source per code, not one per character).
     */
    static String code() {
        long bits = RANDOM.nextLong();
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = CODE_ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(out);
    }
}
