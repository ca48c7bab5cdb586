package io.siyu.coupon;

import io.siyu.platform.PeriodicTask;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Expires coupons past their end (Coupon Expired) and records events that rows still owe the log
 * (after the log was unavailable), every {@code siyu.coupons.sweep-ms}.
 */
@Component
public class CouponSweeper extends PeriodicTask {

    static final int BATCH = 1_000;

    private final Coupons coupons;
    private final CouponEvents events;
    private final Clock clock;

    CouponSweeper(Coupons coupons, CouponEvents events, Clock clock, @Value("${siyu.coupons.sweep-ms:30000}") long everyMillis) {
        super("siyu-coupon-sweeper", everyMillis);
        this.coupons = coupons;
        this.events = events;
        this.clock = clock;
    }

    /** A failed round leaves the rows with their owed events; the next round tries again. */
    @Override
    protected void runOnce() {
        sweep(clock.instant());
    }

    /** Expires what is due at {@code now} and records owed events. @return coupons expired */
    public int sweep(Instant now) {
        int expired = 0;
        int n;
        while ((n = coupons.expire(now, BATCH)) > 0) {
            expired += n;
        }
        List<Coupons.Owed> owed;
        for (int round = 0; round < 100 && !(owed = coupons.owed(BATCH)).isEmpty(); round++) {
            events.record(owed);
        }
        // claim batches an earlier version left owing (claims now commit with their events, so no new ones appear)
        for (Coupons.OwedBatch batch : coupons.owedBatches(now.minusSeconds(60), 100)) {
            events.append(batch.owed());
            coupons.batchesRecorded(List.of(batch.id()));
        }
        return expired;
    }
}
