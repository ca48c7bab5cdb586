package io.siyu.coupon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit for issued coupons: claimers queue their row and wait; a writer stores whatever has
 * queued in one statement and one transaction, together with one row naming the events the batch
 * owes the log, then records those events in one intake call. Under load a thousand claims cost a
 * few round trips instead of thousands. {@code siyu.coupons.writers} writers run side by side, so
 * one batch's commit and the next batch's collection overlap. The owed-batch row is deleted in a
 * writer's next transaction once its events are in the log; if the log was away, the sweeper
 * records them later (event ids derive from the code, so a repeat is one event).
 */
@Component
class ClaimWriter implements SmartLifecycle {

    static final int MAX_BATCH = 2_000;
    private static final Logger log = LoggerFactory.getLogger(ClaimWriter.class);

    private record Pending(Coupons.NewCoupon coupon, CompletableFuture<Void> stored) {}

    private final Coupons coupons;
    private final CouponEvents events;
    private final int writers;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(50_000);
    /** Owed batches whose events are recorded: deleted in the next transaction. */
    private final ConcurrentLinkedQueue<Long> recorded = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    ClaimWriter(Coupons coupons, CouponEvents events, @Value("${siyu.coupons.writers:4}") int writers) {
        this.coupons = coupons;
        this.events = events;
        this.writers = Math.max(1, writers);
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
                    deleteRecorded(); // idle: nothing to fold the deletes into
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                log.warn("coupon events not recorded now; the sweeper records them later", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Long> deletes = drainRecorded();
        long owedBatch;
        try {
            owedBatch = coupons.insertOwing(batch.stream().map(Pending::coupon).toList(), deletes);
        } catch (RuntimeException batchFailed) {
            recorded.addAll(deletes);
            writeOneByOne(batch);
            return;
        }
        try {
            events.append(owed(batch));
            recorded.add(owedBatch);
        } finally {
            // stored either way: a batch whose events did not reach the log keeps its owed row for the sweeper
            batch.forEach(p -> p.stored().complete(null));
        }
    }

    /** One bad row (a repeated action id) must not fail its neighbours: each on its own, owing through its row's flag. */
    private void writeOneByOne(List<Pending> batch) {
        List<Pending> stored = new ArrayList<>();
        for (Pending p : batch) {
            try {
                coupons.insert(List.of(p.coupon()));
                stored.add(p);
            } catch (RuntimeException e) {
                p.stored().completeExceptionally(e);
            }
        }
        if (stored.isEmpty()) {
            return;
        }
        try {
            events.record(owed(stored));
        } finally {
            stored.forEach(p -> p.stored().complete(null));
        }
    }

    private static List<Coupons.Owed> owed(List<Pending> batch) {
        return batch.stream().map(p -> new Coupons.Owed(p.coupon().tenant(), p.coupon().code(), p.coupon().template().id(),
                p.coupon().identifier(), p.coupon().event(), null, null)).toList();
    }

    private List<Long> drainRecorded() {
        List<Long> ids = new ArrayList<>();
        Long id;
        while ((id = recorded.poll()) != null) {
            ids.add(id);
        }
        return ids;
    }

    private void deleteRecorded() {
        List<Long> ids = drainRecorded();
        try {
            coupons.batchesRecorded(ids);
        } catch (RuntimeException e) {
            recorded.addAll(ids);
            throw e;
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            threads.add(Thread.ofPlatform().name("siyu-coupon-writer-" + i).daemon().start(this::run));
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
