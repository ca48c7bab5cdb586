package io.siyu.coupon;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Expires coupons past their end (Coupon Expired) and records events that rows still owe the log
 * (after the log was unavailable), every {@code siyu.coupons.sweep-ms}.
 */
@Component
public class CouponSweeper implements SmartLifecycle {

    static final int BATCH = 1_000;
    private static final Logger log = LoggerFactory.getLogger(CouponSweeper.class);

    private final Coupons coupons;
    private final CouponEvents events;
    private final Clock clock;
    private final long everyMillis;
    private volatile boolean running;
    private Thread loop = new Thread(() -> {});

    CouponSweeper(Coupons coupons, CouponEvents events, Clock clock, @Value("${siyu.coupons.sweep-ms:30000}") long everyMillis) {
        this.coupons = coupons;
        this.events = events;
        this.clock = clock;
        this.everyMillis = everyMillis;
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
        // claim batches whose events were not recorded (the log was away); a minute old, so never one a writer still holds
        for (Coupons.OwedBatch batch : coupons.owedBatches(now.minusSeconds(60), 100)) {
            events.append(batch.owed());
            coupons.batchesRecorded(List.of(batch.id()));
        }
        return expired;
    }

    private void run() {
        while (running) {
            try {
                sweep(clock.instant());
            } catch (RuntimeException e) { // the rows keep their owed events; try again next round
                log.warn("coupon sweep failed; retrying in {} ms", everyMillis, e);
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("siyu-coupon-sweeper").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        loop.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
