package io.siyu.coupon;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonalIdentifiers;
import io.siyu.identity.PersonId;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Coupon templates, issue (one or many), claim, redeem, void, checkout quotes and abuse flags. */
@RestController
@RequestMapping("/api/v1")
class CouponController {

    static final int MAX_BULK = 10_000;
    static final int MAX_LINES = 200;

    record TemplateBody(@Nullable String id, @Nullable String name, @Nullable String kind, @Nullable Long amountFen,
            @Nullable Integer percentOff, @Nullable Long thresholdFen, @Nullable Integer totalStock, @Nullable Integer perPersonLimit,
            @Nullable String validFrom, @Nullable String validUntil, @Nullable Integer validForHours,
            @Nullable List<String> categories, @Nullable List<String> products, @Nullable Boolean stacksWithMemberDiscount) {}

    record Issue(@Nullable List<String> identifiers) {}

    record Claim(@Nullable String identifier, @Nullable String device, @Nullable String phone, @Nullable String paymentAccount) {}

    record CartBody(@Nullable List<Cart.Line> lines, @Nullable Long shippingFen, @Nullable Integer memberPercent,
            @Nullable Long freeShippingOverFen) {}

    record Redeem(@Nullable String identifier, @Nullable String orderId, @Nullable CartBody cart) {}

    record Quote(@Nullable String identifier, @Nullable CartBody cart) {}

    private final CouponTemplates templates;
    private final CouponDesk desk;
    private final ProfileDirectory profiles;
    private final PersonalIdentifiers personal;

    CouponController(CouponTemplates templates, CouponDesk desk, ProfileDirectory profiles, FieldCipher cipher) {
        this.templates = templates;
        this.desk = desk;
        this.profiles = profiles;
        this.personal = new PersonalIdentifiers(cipher);
    }

    /** How a coupon row names its holder: an e-mail address only as its blind index, never in clear. */
    private String stored(TenantId tenant, Identifier identifier) {
        return personal.forLookup(tenant, identifier).toString();
    }

    @PostMapping("/coupon-templates")
    Map<String, Object> create(TenantId tenant, @RequestBody TemplateBody body) {
        CouponTemplate template = template(body);
        if (!templates.create(tenant, template)) {
            throw new InvalidInput("id", "unique", "coupon template '" + template.id() + "' exists already; templates never change / 模板已存在");
        }
        return view(tenant, template);
    }

    @GetMapping("/coupon-templates")
    List<Map<String, Object>> list(TenantId tenant) {
        return templates.all(tenant).stream().map(t -> view(tenant, t)).toList();
    }

    @GetMapping("/coupon-templates/{id}")
    Map<String, Object> get(TenantId tenant, @PathVariable String id) {
        return view(tenant, find(tenant, id));
    }

    /** Gives the coupon to each person (Coupon Issued); each result names the person's outcome. */
    @PostMapping("/coupon-templates/{id}/issue")
    Map<String, Object> issue(TenantId tenant, @PathVariable String id, @RequestBody Issue issue) {
        find(tenant, id);
        List<String> ids = issue.identifiers() == null ? List.of() : issue.identifiers();
        if (ids.isEmpty() || ids.size() > MAX_BULK) {
            throw new InvalidInput("identifiers", "size", "name 1 to " + MAX_BULK + " people as type:value");
        }
        List<Violation> violations = new ArrayList<>();
        List<Identifier> parsed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                parsed.add(Identifier.parse(ids.get(i) == null ? "" : ids.get(i)));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("identifiers[" + i + "]", "format", e.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        int issued = 0;
        for (Identifier identifier : parsed) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("identifier", identifier.toString());
            var person = profiles.find(tenant, identifier);
            if (person.isEmpty()) {
                result.put("refused", "person:unknown");
            } else {
                switch (desk.issue(tenant, PersonId.parse(person.get().id()), stored(tenant, identifier), id, false, null, CouponDesk.Signals.NONE)) {
                    case CouponDesk.Outcome.Issued i -> {
                        result.put("code", i.code());
                        issued++;
                    }
                    case CouponDesk.Outcome.Refused r -> result.put("refused", r.reason());
                }
            }
            results.add(result);
        }
        return Map.of("issued", issued, "results", results);
    }

    /** A person takes a coupon (Coupon Claimed); device, phone and payment account feed the abuse check. */
    @PostMapping("/coupon-templates/{id}/claim")
    Map<String, Object> claim(TenantId tenant, @PathVariable String id, @RequestBody Claim claim) {
        find(tenant, id);
        Identifier identifier = identifier(claim.identifier());
        PersonId person = person(tenant, identifier);
        limit("device", claim.device(), 128);
        limit("phone", claim.phone(), 32);
        limit("paymentAccount", claim.paymentAccount(), 128);
        return switch (desk.issue(tenant, person, stored(tenant, identifier), id, true, null,
                new CouponDesk.Signals(claim.device(), claim.phone(), claim.paymentAccount()))) {
            case CouponDesk.Outcome.Issued i -> Map.of("code", i.code(), "expiresAt", i.expiresAt().toString());
            case CouponDesk.Outcome.Refused r -> throw new InvalidInput("template", "claim", refusal(r.reason()));
        };
    }

    @GetMapping("/coupons")
    List<Map<String, Object>> coupons(TenantId tenant, @RequestParam String identifier) {
        return desk.of(tenant, person(tenant, identifier(identifier))).stream().map(CouponController::view).toList();
    }

    @PostMapping("/coupons/{code}/redeem")
    Map<String, Object> redeem(TenantId tenant, @PathVariable String code, @RequestBody Redeem redeem) {
        requireCode(code);
        PersonId person = person(tenant, identifier(redeem.identifier()));
        String orderId = text("orderId", redeem.orderId(), 64);
        Cart cart = cart(redeem.cart());
        return switch (desk.redeem(tenant, person, code, orderId, cart)) {
            case CouponDesk.Redemption.Redeemed r -> Map.of("code", r.code(), "orderId", r.orderId(), "discountFen", r.discountFen(),
                    "quote", r.quote());
            case CouponDesk.Redemption.Refused r -> {
                if (r.reason().equals("coupon:unknown")) {
                    throw new NotFound("no coupon " + code + " / 优惠券不存在");
                }
                throw new InvalidInput("code", r.reason().substring("coupon:".length()), refusal(r.reason()));
            }
        };
    }

    @PostMapping("/coupons/{code}/void")
    Map<String, Object> voidCoupon(TenantId tenant, @PathVariable String code) {
        requireCode(code);
        if (!desk.voidCoupon(tenant, code)) {
            throw new NotFound("no unused coupon " + code + " to void / 没有可作废的优惠券");
        }
        return Map.of("code", code, "status", "VOIDED");
    }

    @PostMapping("/checkout/quote")
    Checkout.Quote quote(TenantId tenant, @RequestBody Quote quote) {
        return desk.quote(tenant, person(tenant, identifier(quote.identifier())), cart(quote.cart()));
    }

    @GetMapping("/coupons/abuse-flags")
    List<Map<String, Object>> flags(TenantId tenant) {
        return desk.flags(tenant);
    }

    private static String refusal(String reason) {
        return switch (reason) {
            case "stock:sold-out" -> "已抢光 / sold out";
            case "limit:per-person" -> "已达领取上限 / per-person limit reached";
            case "template:ended" -> "活动已结束 / the coupon's validity has ended";
            case "coupon:redeemed" -> "优惠券已使用 / already redeemed for another order";
            case "coupon:expired" -> "优惠券已过期 / expired";
            case "coupon:not-yours" -> "不是您的优惠券 / the coupon belongs to someone else";
            case "coupon:not-applicable" -> "订单不满足使用条件 / the order does not meet the coupon's threshold or scope";
            default -> reason.startsWith("abuse:") ? "领取受限，请联系客服 / claim refused: " + reason : reason;
        };
    }

    private CouponTemplate find(TenantId tenant, String id) {
        requireCode(id);
        return templates.find(tenant, id).orElseThrow(() -> new NotFound("no coupon template '" + id + "' / 模板不存在"));
    }

    private PersonId person(TenantId tenant, Identifier identifier) {
        return profiles.find(tenant, identifier).map(p -> PersonId.parse(p.id()))
                .orElseThrow(() -> new NotFound("nobody is known as " + identifier + " / 查无此人"));
    }

    private static Identifier identifier(@Nullable String raw) {
        String text = text("identifier", raw, 300);
        try {
            return Identifier.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
    }

    private static void requireCode(String code) {
        if (code.isEmpty() || code.length() > 64 || !code.matches("[A-Za-z0-9_\\-.]+")) {
            throw new InvalidInput("id", "pattern", "ids and codes are 1–64 letters, digits, '_', '-', '.'");
        }
    }

    private static String text(String field, @Nullable String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "required", field + " is required / 必填");
        }
        limit(field, value, max);
        return value;
    }

    private static void limit(String field, @Nullable String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInput(field, "max-length", field + " must be at most " + max + " characters");
        }
    }

    private static Cart cart(@Nullable CartBody body) {
        if (body == null || body.lines() == null || body.lines().isEmpty()) {
            throw new InvalidInput("cart.lines", "required", "a cart needs at least one line");
        }
        if (body.lines().size() > MAX_LINES) {
            throw new InvalidInput("cart.lines", "max-items", "at most " + MAX_LINES + " lines");
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < body.lines().size(); i++) {
            Cart.Line line = body.lines().get(i);
            String at = "cart.lines[" + i + "]";
            if (line == null || line.productId() == null || line.productId().isBlank() || line.productId().length() > 64) {
                violations.add(new Violation(at + ".productId", "required", "each line needs a productId of at most 64 characters"));
            } else if (line.unitPriceFen() < 0 || line.unitPriceFen() > 100_000_000_00L) {
                violations.add(new Violation(at + ".unitPriceFen", "range", "unit price must be 0 to 100,000,000 yuan, in fen"));
            } else if (line.quantity() < 1 || line.quantity() > 10_000) {
                violations.add(new Violation(at + ".quantity", "range", "quantity must be 1 to 10,000"));
            }
        }
        long shipping = body.shippingFen() == null ? 0 : body.shippingFen();
        int member = body.memberPercent() == null ? 100 : body.memberPercent();
        long freeOver = body.freeShippingOverFen() == null ? 0 : body.freeShippingOverFen();
        if (shipping < 0 || shipping > 1_000_000) violations.add(new Violation("cart.shippingFen", "range", "shipping must be 0 to 10,000 yuan"));
        if (member < 1 || member > 100) violations.add(new Violation("cart.memberPercent", "range", "member price is 1 to 100 percent of list price"));
        if (freeOver < 0) violations.add(new Violation("cart.freeShippingOverFen", "range", "must not be negative"));
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return new Cart(body.lines(), shipping, member, freeOver);
    }

    private static CouponTemplate template(TemplateBody b) {
        List<Violation> violations = new ArrayList<>();
        String id = b.id() == null ? "" : b.id();
        if (id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9_\\-.]+")) {
            violations.add(new Violation("id", "pattern", "id is 1–64 letters, digits, '_', '-', '.'"));
        }
        if (b.name() == null || b.name().isBlank() || b.name().length() > 64) {
            violations.add(new Violation("name", "required", "name is required, at most 64 characters / 名称必填"));
        }
        CouponTemplate.Kind kind = null;
        try {
            kind = CouponTemplate.Kind.valueOf(b.kind() == null ? "" : b.kind());
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("kind", "enum", "kind is one of " + List.of(CouponTemplate.Kind.values())));
        }
        Instant from = instant("validFrom", b.validFrom(), violations);
        Instant until = instant("validUntil", b.validUntil(), violations);
        List<String> categories = b.categories() == null ? List.of() : b.categories();
        List<String> products = b.products() == null ? List.of() : b.products();
        if (categories.size() > 500 || products.size() > 5000 || categories.stream().anyMatch(c -> c == null || c.length() > 64)
                || products.stream().anyMatch(p -> p == null || p.length() > 64)) {
            violations.add(new Violation("products", "max-items", "at most 500 categories and 5,000 products of 64 characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        CouponTemplate t = new CouponTemplate(id, b.name(), kind, b.amountFen() == null ? 0 : b.amountFen(),
                b.percentOff() == null ? 0 : b.percentOff(), b.thresholdFen() == null ? 0 : b.thresholdFen(),
                b.totalStock() == null ? -1 : b.totalStock(), b.perPersonLimit() == null ? 1 : b.perPersonLimit(), from, until,
                b.validForHours() == null ? null : Duration.ofHours(b.validForHours()), Set.copyOf(categories), Set.copyOf(products),
                b.stacksWithMemberDiscount() == null || b.stacksWithMemberDiscount());
        List<String[]> problems = t.problems();
        if (!problems.isEmpty()) {
            throw new InvalidInput(problems.stream().map(p -> new Violation(p[0], "rule", p[1])).toList());
        }
        return t;
    }

    private static @Nullable Instant instant(String field, @Nullable String text, List<Violation> violations) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "format", field + " must be an ISO-8601 instant such as 2026-11-11T16:00:00Z"));
            return null;
        }
    }

    private Map<String, Object> view(TenantId tenant, CouponTemplate t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("template", t);
        out.put("remaining", desk.remaining(tenant, t));
        return out;
    }

    private static Map<String, Object> view(Coupon c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", c.code());
        out.put("templateId", c.template().id());
        out.put("name", c.template().name());
        out.put("status", c.status().name());
        out.put("issuedAt", c.issuedAt().toString());
        out.put("expiresAt", c.expiresAt().toString());
        if (c.orderId() != null) {
            out.put("orderId", c.orderId());
            out.put("discountFen", c.discountFen());
        }
        return out;
    }
}
