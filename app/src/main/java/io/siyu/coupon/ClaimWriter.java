package io.siyu.coupon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit for issued coupons: claimers queue their row and wait; one writer stores whatever
 * has queued in one transaction, then records their events in one intake call. Under load a
 * thousand claims cost one round trip instead of a thousand.
 */
@Component
class ClaimWriter implements SmartLifecycle {

    static final int MAX_BATCH = 2_000;

    private record Pending(Coupons.NewCoupon coupon, CompletableFuture<Void> stored) {}

    private final Coupons coupons;
    private final CouponEvents events;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(50_000);
    private volatile boolean running;
    private Thread writer = new Thread(() -> {});

    ClaimWriter(Coupons coupons, CouponEvents events) {
        this.coupons = coupons;
        this.events = events;
    }

    /** Completes once the coupon is stored and its event is in the log; fails with the reason otherwise. */
    CompletableFuture<Void> store(Coupons.NewCoupon coupon) {
        Pending pending = new Pending(coupon, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, 5, TimeUnit.SECONDS)) {
                pending.stored().completeExceptionally(new IllegalStateException("coupon writer is overloaded"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.stored().completeExceptionally(e);
        }
        return pending.stored();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            coupons.insert(batch.stream().map(Pending::coupon).toList());
        } catch (RuntimeException batchFailed) {
            // one bad row (a duplicate action id) must not fail its neighbours: store them one by one
            List<Pending> stored = new ArrayList<>();
            for (Pending p : batch) {
                try {
                    coupons.insert(List.of(p.coupon()));
                    stored.add(p);
                } catch (RuntimeException e) {
                    p.stored().completeExceptionally(e);
                }
            }
            batch = stored;
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            events.record(batch.stream().map(p -> new Coupons.Owed(p.coupon().tenant(), p.coupon().code(), p.coupon().template().id(),
                    p.coupon().identifier(), p.coupon().event(), null, null)).toList());
        } catch (RuntimeException e) {
            // the coupons are stored and keep their owed event; the sweeper records it later
            batch.forEach(p -> p.stored().complete(null));
            throw e;
        }
        batch.forEach(p -> p.stored().complete(null));
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("siyu-coupon-writer").daemon().start(this::runLogged);
    }

    private void runLogged() {
        while (running) {
            try {
                run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ClaimWriter.class).warn("coupon events not recorded now; the sweeper retries", e);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
