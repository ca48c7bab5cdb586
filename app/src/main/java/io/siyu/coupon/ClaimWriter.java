package io.siyu.coupon;

import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Group commit for issued coupons: claimers queue their coupon and wait; a writer turns whatever
 * has queued into its events (Coupon Claimed / Coupon Issued) and hands them to the engine with
 * the coupon rows attached, so the rows (one binary COPY) and the events commit in the log's own
 * transaction — one commit and one fsync for both, nothing owed afterwards. Under load a thousand
 * claims cost one COPY into {@code coupons} and their share of one log append.
 * {@code siyu.coupons.writers} writers run side by side, so one batch's commit and the next batch's
 * collection overlap (the engine puts batches that arrive together into one commit).
 *
 * <p>A batch that fails (a repeated action id) is written again one coupon at a time, so one bad
 * row does not fail its neighbours. A write whose outcome was not reported (the log's connection
 * dropped) is settled by looking the codes up; when even that fails the claimer gets
 * {@link Unsettled} and the serial stays taken (never two coupons on one serial).
 */
@Component
class ClaimWriter implements SmartLifecycle {

    static final int MAX_BATCH = 2_000;
    /** How long a writer waits for the log before it treats the outcome as unknown. */
    private static final int ACK_TIMEOUT_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(ClaimWriter.class);

    /** The coupon may or may not be stored: its serial must stay taken. */
    static final class Unsettled extends RuntimeException {
        Unsettled(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending(Coupons.NewCoupon coupon, CompletableFuture<Void> stored) {}

    private final Coupons coupons;
    private final CouponEvents events;
    private final Engine engine;
    private final Clock clock;
    private final int writers;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(50_000);
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    ClaimWriter(Coupons coupons, CouponEvents events, Engine engine, Clock clock, @Value("${siyu.coupons.writers:4}") int writers) {
        this.coupons = coupons;
        this.events = events;
        this.engine = engine;
        this.clock = clock;
        this.writers = Math.max(1, writers);
    }

    /**
     * Completes once the coupon and its event are durable together; fails with the reason when
     * nothing was stored ({@link DuplicateKeyException} for a repeated action id), or with
     * {@link Unsettled} when it cannot be told.
     */
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
            } catch (RuntimeException e) {
                log.error("coupon writer failed on a batch of {}", batch.size(), e);
                Unsettled unsettled = new Unsettled("the coupon writer failed: " + e.getMessage(), e);
                batch.forEach(p -> p.stored().completeExceptionally(unsettled));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<Pending> submitted = new ArrayList<>(batch.size());
        CompletableFuture<Long> ack = submit(batch, submitted);
        if (ack == null) {
            return;
        }
        Throwable failure = await(ack);
        if (failure == null) {
            submitted.forEach(p -> p.stored().complete(null));
            return;
        }
        List<Pending> unstored = settle(submitted, failure);
        if (unstored.size() == 1 || failure instanceof TimeoutException) {
            unstored.forEach(p -> p.stored().completeExceptionally(translate(failure)));
            return;
        }
        writeOneByOne(unstored);
    }

    /**
     * Each coupon its own submission: the engine commits them together when it can and isolates
     * the one whose row fails.
     */
    private void writeOneByOne(List<Pending> batch) {
        List<List<Pending>> alone = new ArrayList<>(batch.size());
        List<CompletableFuture<Long>> acks = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            List<Pending> submitted = new ArrayList<>(1);
            CompletableFuture<Long> ack = submit(List.of(p), submitted);
            if (ack != null) {
                alone.add(submitted);
                acks.add(ack);
            }
        }
        for (int i = 0; i < acks.size(); i++) {
            Throwable failure = await(acks.get(i));
            if (failure == null) {
                alone.get(i).forEach(p -> p.stored().complete(null));
            } else {
                settle(alone.get(i), failure).forEach(p -> p.stored().completeExceptionally(translate(failure)));
            }
        }
    }

    /**
     * Builds the events and hands them to the engine with the rows attached; coupons whose event
     * cannot be built fail on their own.
     *
     * @return the engine's acknowledgement, or null when nothing was submitted
     */
    private @Nullable CompletableFuture<Long> submit(List<Pending> batch, List<Pending> submitted) {
        long now = clock.millis();
        List<Event> owed = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                owed.add(events.event(p.coupon(), now));
                submitted.add(p);
            } catch (RuntimeException e) {
                p.stored().completeExceptionally(e);
            }
        }
        if (submitted.isEmpty()) {
            return null;
        }
        List<Coupons.NewCoupon> rows = submitted.stream().map(Pending::coupon).toList();
        try {
            return engine.submit(owed, connection -> Coupons.copy(connection, rows));
        } catch (RuntimeException notTaken) { // overloaded or stopped: nothing was written
            submitted.forEach(p -> p.stored().completeExceptionally(notTaken));
            return null;
        }
    }

    /** @return null once durable, else why not (a {@link TimeoutException} when the log did not answer in time) */
    private static @Nullable Throwable await(CompletableFuture<Long> ack) {
        try {
            ack.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TimeoutException("interrupted while waiting for the event log");
        }
    }

    /**
     * After a failure: completes the coupons that are stored after all (their events committed
     * with them) and returns the others. When the log did not answer in time, or the codes cannot
     * be looked up, the coupons fail as {@link Unsettled} and none is returned.
     */
    private List<Pending> settle(List<Pending> batch, Throwable failure) {
        if (failure instanceof TimeoutException) {
            Unsettled unsettled = new Unsettled("the event log did not answer in time", failure);
            batch.forEach(p -> p.stored().completeExceptionally(unsettled));
            return List.of();
        }
        Set<String> stored;
        try {
            stored = coupons.stored(batch.getFirst().coupon().tenant(), batch.stream().map(p -> p.coupon().code()).toList());
        } catch (RuntimeException e) {
            Unsettled unsettled = new Unsettled("the coupon write failed and could not be checked: " + failure.getMessage(), failure);
            batch.forEach(p -> p.stored().completeExceptionally(unsettled));
            return List.of();
        }
        List<Pending> unstored = new ArrayList<>();
        for (Pending p : batch) {
            if (stored.contains(p.coupon().code())) {
                p.stored().complete(null);
            } else {
                unstored.add(p);
            }
        }
        return unstored;
    }

    /** A repeated key (the action id of a retried journey action) as Spring names it, so the desk can answer the first coupon. */
    private static Throwable translate(Throwable failure) {
        for (@Nullable Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return new DuplicateKeyException(sql.getMessage(), sql);
            }
        }
        return failure;
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
