package io.siyu.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.PersonId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckoutTest {

    static final PersonId PERSON = PersonId.of(1, 1);
    static final Instant T = Instant.parse("2026-11-11T00:00:00Z");

    static CouponTemplate template(String id, CouponTemplate.Kind kind, long amount, int percent, long threshold, boolean stacks,
            Set<String> categories) {
        return new CouponTemplate(id, id, kind, amount, percent, threshold, 100, 1, null, null, Duration.ofDays(7), categories,
                Set.of(), stacks);
    }

    static Coupon coupon(String code, CouponTemplate template, int expiresInDays) {
        return new Coupon(code, template, PERSON, Coupon.Status.ISSUED, T, T.plus(Duration.ofDays(expiresInDays)), null, null);
    }

    static Cart cart(long shipping, int member, long freeOver, Cart.Line... lines) {
        return new Cart(List.of(lines), shipping, member, freeOver);
    }

    @Test
    void takesFiftyOffAtOneNinetyNineButNotBelow() {
        Coupon manjian = coupon("MJ", template("mj", CouponTemplate.Kind.THRESHOLD, 5_000, 0, 19_900, true, Set.of()), 3);
        Checkout.Quote enough = Checkout.best(cart(0, 100, 0, new Cart.Line("dress", "女装", 19_900, 1)), List.of(manjian));
        assertThat(enough.couponCode()).isEqualTo("MJ");
        assertThat(enough.totalFen()).isEqualTo(14_900);
        Checkout.Quote short1 = Checkout.best(cart(0, 100, 0, new Cart.Line("dress", "女装", 19_899, 1)), List.of(manjian));
        assertThat(short1.couponCode()).isNull();
        assertThat(short1.totalFen()).isEqualTo(19_899);
    }

    @Test
    void picksTheCouponWithTheLowestFinalPriceAndRoundsPercentDownInTheShopsFavour() {
        Coupon tenOff = coupon("FIX", template("fix", CouponTemplate.Kind.FIXED, 1_000, 0, 0, true, Set.of()), 3);
        Coupon twentyPercent = coupon("PCT", template("pct", CouponTemplate.Kind.PERCENT, 0, 20, 0, true, Set.of()), 3);
        Checkout.Quote quote = Checkout.best(cart(0, 100, 0, new Cart.Line("a", null, 6_999, 1)), List.of(tenOff, twentyPercent));
        assertThat(quote.couponCode()).isEqualTo("PCT");
        assertThat(quote.couponDiscountFen()).isEqualTo(1_399); // 20% of 69.99 = 13.998, rounded down
        assertThat(quote.totalFen()).isEqualTo(5_600);
    }

    @Test
    void aNonStackingCouponReplacesTheMemberDiscountAndLosesWhenTheMemberPriceIsBetter() {
        Coupon noStack = coupon("NS", template("ns", CouponTemplate.Kind.FIXED, 500, 0, 0, false, Set.of()), 3);
        Coupon stacks = coupon("ST", template("st", CouponTemplate.Kind.FIXED, 300, 0, 0, true, Set.of()), 3);
        Cart cart = cart(0, 90, 0, new Cart.Line("a", null, 10_000, 1));
        Checkout.Quote onlyNoStack = Checkout.best(cart, List.of(noStack));
        assertThat(onlyNoStack.couponCode()).as("member price 90.00 beats 100 - 5").isNull();
        assertThat(onlyNoStack.memberDiscountFen()).isEqualTo(1_000);
        Checkout.Quote both = Checkout.best(cart, List.of(noStack, stacks));
        assertThat(both.couponCode()).isEqualTo("ST");
        assertThat(both.totalFen()).isEqualTo(10_000 - 1_000 - 300);
    }

    @Test
    void appliesOnlyToLinesInScope() {
        Coupon shoes = coupon("SH", template("sh", CouponTemplate.Kind.THRESHOLD, 3_000, 0, 20_000, true, Set.of("鞋")), 3);
        Cart mixed = cart(0, 100, 0, new Cart.Line("s1", "鞋", 15_000, 1), new Cart.Line("t1", "T恤", 10_000, 1));
        assertThat(Checkout.best(mixed, List.of(shoes)).couponCode()).as("only 150 of the 250 are shoes").isNull();
        Cart twoPairs = cart(0, 100, 0, new Cart.Line("s1", "鞋", 15_000, 2));
        assertThat(Checkout.best(twoPairs, List.of(shoes)).totalFen()).isEqualTo(27_000);
    }

    @Test
    void hintsHowMuchMoreShipsFreeAndFreeShippingCouponsWaiveIt() {
        Cart cart = cart(1_000, 100, 9_900, new Cart.Line("a", null, 8_000, 1));
        Checkout.Quote quote = Checkout.best(cart, List.of());
        assertThat(quote.shippingFen()).isEqualTo(1_000);
        assertThat(quote.spendMoreForFreeShippingFen()).isEqualTo(1_900);
        assertThat(quote.hint()).isEqualTo("再买 ¥19.00 即可包邮 / spend ¥19.00 more for free shipping");
        Coupon freeShip = coupon("FS", template("fs", CouponTemplate.Kind.FREE_SHIPPING, 0, 0, 5_000, true, Set.of()), 3);
        Checkout.Quote withCoupon = Checkout.best(cart, List.of(freeShip));
        assertThat(withCoupon.couponCode()).isEqualTo("FS");
        assertThat(withCoupon.shippingFen()).isZero();
        assertThat(withCoupon.totalFen()).isEqualTo(8_000);
        assertThat(withCoupon.hint()).isNull();
    }

    @Test
    void prefersTheCouponThatExpiresFirstWhenTwoSaveTheSame() {
        CouponTemplate five = template("five", CouponTemplate.Kind.FIXED, 500, 0, 0, true, Set.of());
        Checkout.Quote quote = Checkout.best(cart(0, 100, 0, new Cart.Line("a", null, 5_000, 1)),
                List.of(coupon("LATE", five, 30), coupon("SOON", five, 1)));
        assertThat(quote.couponCode()).isEqualTo("SOON");
    }

    @Test
    void templatesRefuseInconsistentRules() {
        assertThat(template("x", CouponTemplate.Kind.THRESHOLD, 5_000, 0, 4_000, true, Set.of()).problems())
                .extracting(p -> p[0]).containsExactly("thresholdFen");
        assertThat(template("x", CouponTemplate.Kind.PERCENT, 0, 100, 0, true, Set.of()).problems()).extracting(p -> p[0])
                .containsExactly("percentOff");
        assertThat(new CouponTemplate("x", "x", CouponTemplate.Kind.FIXED, 100, 0, 0, 1, 1, null, T, Duration.ofHours(24),
                Set.of(), Set.of(), true).problems()).extracting(p -> p[0]).containsExactly("validity");
    }
}
