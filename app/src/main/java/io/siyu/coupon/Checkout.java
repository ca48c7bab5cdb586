package io.siyu.coupon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prices a cart with the person's best coupon. Every usable coupon is tried (and no coupon); the
 * lowest total wins, ties going to no coupon, then to the coupon that expires first. A coupon that
 * stacks applies after the member discount, on the member price of its eligible lines; one that
 * does not stack replaces the member discount. Plain arithmetic on fen, no Spring.
 */
public final class Checkout {

    /**
     * The priced cart.
     *
     * @param couponCode the coupon chosen, or null when none helps
     * @param spendMoreForFreeShippingFen how much more would make shipping free (0 when it already
     *     is, or when nothing would)
     */
    public record Quote(@Nullable String couponCode, long subtotalFen, long memberDiscountFen, long couponDiscountFen,
            long shippingFen, long totalFen, long spendMoreForFreeShippingFen, @Nullable String hint) {}

    private Checkout() {}

    public static Quote best(Cart cart, List<Coupon> usable) {
        List<Coupon> candidates = new ArrayList<>(usable);
        candidates.sort(Comparator.comparing(Coupon::expiresAt).thenComparing(Coupon::code));
        Priced best = price(cart, null);
        for (Coupon coupon : candidates) {
            Priced priced = price(cart, coupon);
            if (priced.total < best.total) {
                best = priced;
            }
        }
        long more = best.shipping == 0 ? 0 : spendMoreForFreeShipping(cart, best, usable);
        String hint = more > 0 ? "再买 ¥" + yuan(more) + " 即可包邮 / spend ¥" + yuan(more) + " more for free shipping" : null;
        return new Quote(best.coupon == null ? null : best.coupon.code(), cart.subtotalFen(), best.memberDiscount,
                best.couponDiscount, best.shipping, best.total, more, hint);
    }

    /** Prices the cart with exactly this coupon (for redeeming it against an order). */
    public static Quote with(Cart cart, Coupon coupon) {
        Priced priced = price(cart, coupon);
        return new Quote(coupon.code(), cart.subtotalFen(), priced.memberDiscount, priced.couponDiscount, priced.shipping,
                priced.total, 0, null);
    }

    /** Whether the coupon changes anything for this cart (takes money off or waives shipping). */
    public static boolean applies(Cart cart, Coupon coupon) {
        Priced with = price(cart, coupon);
        return with.couponDiscount > 0 || coupon.template().kind() == CouponTemplate.Kind.FREE_SHIPPING && with.shipping == 0
                && cart.shippingFen() > 0 && price(cart, null).shipping > 0;
    }

    private record Priced(@Nullable Coupon coupon, long memberDiscount, long couponDiscount, long goods, long shipping,
            long total) {}

    private static Priced price(Cart cart, @Nullable Coupon coupon) {
        long subtotal = cart.subtotalFen();
        boolean member = coupon == null || coupon.template().stacksWithMemberDiscount();
        long memberDiscount = member ? subtotal - cart.memberPrice(subtotal) : 0;
        long couponDiscount = 0;
        boolean freeByCoupon = false;
        if (coupon != null) {
            long eligible = eligible(cart, coupon.template(), member);
            couponDiscount = Math.min(coupon.template().discountOn(eligible), subtotal - memberDiscount);
            freeByCoupon = coupon.template().kind() == CouponTemplate.Kind.FREE_SHIPPING && eligible > 0
                    && eligible >= coupon.template().thresholdFen();
        }
        long goods = subtotal - memberDiscount - couponDiscount;
        boolean free = freeByCoupon || cart.freeShippingOverFen() > 0 && goods >= cart.freeShippingOverFen();
        long shipping = free ? 0 : cart.shippingFen();
        return new Priced(coupon, memberDiscount, couponDiscount, goods, shipping, goods + shipping);
    }

    /** The amount a coupon may work on: its in-scope lines, at member price when it stacks. */
    private static long eligible(Cart cart, CouponTemplate template, boolean member) {
        long sum = 0;
        for (Cart.Line line : cart.lines()) {
            if (template.covers(line)) {
                sum = Math.addExact(sum, line.totalFen());
            }
        }
        return member ? cart.memberPrice(sum) : sum;
    }

    private static long spendMoreForFreeShipping(Cart cart, Priced chosen, List<Coupon> usable) {
        long need = Long.MAX_VALUE;
        if (cart.freeShippingOverFen() > 0) {
            need = cart.freeShippingOverFen() - chosen.goods;
        }
        for (Coupon coupon : usable) {
            if (coupon.template().kind() == CouponTemplate.Kind.FREE_SHIPPING) {
                long gap = coupon.template().thresholdFen() - eligible(cart, coupon.template(), coupon.template().stacksWithMemberDiscount());
                if (gap > 0) {
                    need = Math.min(need, gap);
                }
            }
        }
        return need == Long.MAX_VALUE || need <= 0 ? 0 : need;
    }

    static String yuan(long fen) {
        return java.math.BigDecimal.valueOf(fen, 2).toPlainString();
    }
}
