package io.siyu.coupon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a coupon gives and under which rules.
 *
 * @param amountFen fixed amount off ({@link Kind#FIXED}, {@link Kind#THRESHOLD}); 0 otherwise
 * @param percentOff percent off the eligible amount ({@link Kind#PERCENT}), 1–99; 0 otherwise
 * @param thresholdFen the eligible amount must reach this ("满199减50": 19900); 0 means none (无门槛)
 * @param validFrom / validUntil absolute validity; or {@code validFor}, counted from issue (e.g. 24 h)
 * @param categories / products scope; both empty means the whole cart
 * @param stacksWithMemberDiscount whether it applies on top of the member discount or instead of it
 */
public record CouponTemplate(
        String id,
        String name,
        Kind kind,
        long amountFen,
        int percentOff,
        long thresholdFen,
        int totalStock,
        int perPersonLimit,
        @Nullable Instant validFrom,
        @Nullable Instant validUntil,
        @Nullable Duration validFor,
        Set<String> categories,
        Set<String> products,
        boolean stacksWithMemberDiscount) {

    public enum Kind {
        /** Amount off without a threshold (无门槛券). */
        FIXED,
        /** Percent off, e.g. 20 = 八折. */
        PERCENT,
        /** Amount off once the eligible amount reaches the threshold (满减券). */
        THRESHOLD,
        /** Shipping waived (包邮券), optionally above a threshold. */
        FREE_SHIPPING
    }

    public CouponTemplate {
        categories = Set.copyOf(categories);
        products = Set.copyOf(products);
    }

    /** Rule violations as (field, message); empty when the template is sound. */
    public List<String[]> problems() {
        List<String[]> out = new java.util.ArrayList<>();
        switch (kind) {
            case FIXED -> {
                if (amountFen <= 0) out.add(new String[] {"amountFen", "a fixed coupon needs an amount > 0 fen"});
                if (thresholdFen != 0) out.add(new String[] {"thresholdFen", "a fixed (无门槛) coupon has no threshold; use THRESHOLD"});
            }
            case THRESHOLD -> {
                if (amountFen <= 0) out.add(new String[] {"amountFen", "a threshold coupon needs an amount > 0 fen"});
                if (thresholdFen <= amountFen) out.add(new String[] {"thresholdFen", "the threshold must be above the amount (满199减50)"});
            }
            case PERCENT -> {
                if (percentOff < 1 || percentOff > 99) out.add(new String[] {"percentOff", "percent off must be 1 to 99"});
            }
            case FREE_SHIPPING -> { }
        }
        if (kind != Kind.PERCENT && percentOff != 0) out.add(new String[] {"percentOff", "only PERCENT coupons take percentOff"});
        if ((kind == Kind.PERCENT || kind == Kind.FREE_SHIPPING) && amountFen != 0) {
            out.add(new String[] {"amountFen", "only FIXED and THRESHOLD coupons take amountFen"});
        }
        if (totalStock < 0 || totalStock > 100_000_000) out.add(new String[] {"totalStock", "stock must be 0 to 100,000,000"});
        if (perPersonLimit < 1 || perPersonLimit > 1000) out.add(new String[] {"perPersonLimit", "per-person limit must be 1 to 1000"});
        boolean absolute = validUntil != null;
        boolean relative = validFor != null;
        if (absolute == relative) {
            out.add(new String[] {"validity", "give either validUntil (absolute) or validForHours (relative), not both"});
        }
        if (relative && (validFor.isNegative() || validFor.isZero() || validFor.compareTo(Duration.ofDays(3650)) > 0)) {
            out.add(new String[] {"validForHours", "relative validity must be 1 hour to 10 years"});
        }
        if (absolute && validFrom != null && !validFrom.isBefore(validUntil)) {
            out.add(new String[] {"validFrom", "validFrom must be before validUntil"});
        }
        return out;
    }

    /** When a coupon issued at {@code issuedAt} stops being usable. */
    public Instant expiresAt(Instant issuedAt) {
        return validFor != null ? issuedAt.plus(validFor) : java.util.Objects.requireNonNull(validUntil);
    }

    /** Whether the template may issue at {@code now}: absolute validity must not have ended. */
    public boolean issuableAt(Instant now) {
        return validUntil == null || now.isBefore(validUntil);
    }

    /** Whether a coupon of this template may be used at {@code now} (not before validFrom). */
    public boolean startedAt(Instant now) {
        return validFrom == null || !now.isBefore(validFrom);
    }

    boolean covers(Cart.Line line) {
        return categories.isEmpty() && products.isEmpty() || products.contains(line.productId())
                || line.category() != null && categories.contains(line.category());
    }

    /** What this coupon takes off an eligible amount (already after any member discount); 0 when it does not apply. */
    long discountOn(long eligibleFen) {
        if (eligibleFen <= 0 || eligibleFen < thresholdFen) {
            return 0;
        }
        return switch (kind) {
            case FIXED, THRESHOLD -> Math.min(amountFen, eligibleFen);
            case PERCENT -> Math.multiplyExact(eligibleFen, (long) percentOff) / 100; // rounds down: never more off than promised
            case FREE_SHIPPING -> 0;
        };
    }
}
