package io.siyu.coupon;

import io.siyu.identity.PersonId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One issued coupon with its template. */
public record Coupon(String code, CouponTemplate template, PersonId person, Status status, Instant issuedAt, Instant expiresAt,
        @Nullable String orderId, @Nullable Long discountFen) {

    public enum Status { ISSUED, REDEEMED, EXPIRED, VOIDED }

    /** Whether it can be used at {@code now}: issued, started, not yet expired. */
    public boolean usableAt(Instant now) {
        return status == Status.ISSUED && now.isBefore(expiresAt) && template.startedAt(now);
    }
}
