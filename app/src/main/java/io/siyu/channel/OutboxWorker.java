package io.siyu.channel;

import io.siyu.action.SendIntent;
import io.siyu.action.SendPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drains the outbox: leases due messages, hands each to its provider, and records the result.
 * Transient failures are retried with exponential backoff ({@code base × 2^(attempt-1)}, capped
 * at one hour, or later when the provider asks); after {@code max-attempts} a message is DEAD and
 * waits in the dead-letter list for an operator to replay it.
 */
@Component
public class OutboxWorker implements SmartLifecycle {

    /** What one drain did. */
    public record Drained(int sent, int retried, int failed, int dead) {
        int total() {
            return sent + retried + failed + dead;
        }
    }

    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    static final Duration LEASE = Duration.ofMinutes(2);
    static final int BATCH = 200;

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    private final Outbox outbox;
    private final Channels channels;
    private final Receipts receipts;
    private final ObjectProvider<SendPolicy> policy;
    private final Clock clock;
    private final Duration base;
    private final int maxAttempts;
    private final long pollMillis;
    private final boolean autoStart;
    private final Semaphore signal = new Semaphore(0);
    private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;
    private Thread loop = new Thread(() -> {});

    OutboxWorker(Outbox outbox, Channels channels, Receipts receipts, ObjectProvider<SendPolicy> policy, Clock clock,
            @Value("${siyu.channels.retry.base-ms:2000}") long baseMillis,
            @Value("${siyu.channels.retry.max-attempts:8}") int maxAttempts,
            @Value("${siyu.channels.worker.poll-ms:1000}") long pollMillis,
            @Value("${siyu.channels.worker.enabled:true}") boolean autoStart) {
        this.outbox = outbox;
        this.channels = channels;
        this.receipts = receipts;
        this.policy = policy;
        this.clock = clock;
        this.base = Duration.ofMillis(baseMillis);
        this.maxAttempts = maxAttempts;
        this.pollMillis = pollMillis;
        this.autoStart = autoStart;
    }

    /** Asks the loop to look now rather than at its next poll. */
    void wake() {
        signal.release();
    }

    /** Sends every message due at {@code now}, in batches, until none is left. */
    public Drained drain(Instant now) {
        int sent = 0, retried = 0, failed = 0, dead = 0;
        while (true) {
            List<Outbox.Entry> due = outbox.lease(now, now.plus(LEASE), BATCH);
            if (due.isEmpty()) {
                return new Drained(sent, retried, failed, dead);
            }
            List<Future<Outbox.Status>> results = new ArrayList<>(due.size());
            for (Outbox.Entry entry : due) {
                results.add(sends.submit(() -> attempt(entry, now)));
            }
            for (Future<Outbox.Status> result : results) {
                switch (join(result)) {
                    case SENT -> sent++;
                    case PENDING -> retried++;
                    case FAILED -> failed++;
                    case DEAD -> dead++;
                }
            }
        }
    }

    /** Backoff before attempt {@code attempt + 1}, given {@code attempt} failures so far. */
    Duration backoff(int attempt) {
        int exponent = Math.min(attempt - 1, 30);
        Duration delay = base.multipliedBy(1L << exponent);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private Outbox.Status attempt(Outbox.Entry entry, Instant now) {
        ChannelProvider provider = channels.provider(entry.channel()).orElse(null);
        if (provider == null) {
            outbox.end(entry, Outbox.Status.DEAD, "channel " + entry.channel() + " is not enabled on this installation");
            return Outbox.Status.DEAD;
        }
        ChannelProvider.Delivery delivery;
        try {
            delivery = provider.send(entry.message());
        } catch (RuntimeException e) { // a provider bug must not stop the queue; the message keeps the reason
            delivery = new ChannelProvider.Delivery.RetryLater(Duration.ZERO, "provider error: " + e);
        }
        switch (delivery) {
            case ChannelProvider.Delivery.Sent sent -> {
                outbox.sent(entry, sent.reference(), now);
                SendPolicy gate = policy.getIfAvailable();
                if (gate != null && entry.person() != null) {
                    gate.sent(new SendIntent(entry.tenant(), entry.person(), entry.channel(), entry.marketing(), entry.body(),
                            now.toEpochMilli()));
                }
                receipts.record(entry.tenant(), entry.person(), "Message Sent", "sent-" + entry.messageId(),
                        entry.messageId(), entry.channel(), Map.of());
                if (sent.delivered() && outbox.reported(entry, now, null)) {
                    receipts.record(entry.tenant(), entry.person(), "Message Delivered", "delivered-" + entry.messageId(),
                            entry.messageId(), entry.channel(), Map.of());
                }
                return Outbox.Status.SENT;
            }
            case ChannelProvider.Delivery.RetryLater retry -> {
                int attempts = entry.attempts() + 1;
                if (attempts >= maxAttempts) {
                    String reason = "gave up after " + attempts + " attempts: " + retry.reason();
                    outbox.end(entry, Outbox.Status.DEAD, reason);
                    failed(entry, reason);
                    return Outbox.Status.DEAD;
                }
                Duration wait = backoff(attempts);
                outbox.retry(entry, now.plus(retry.after().compareTo(wait) > 0 ? retry.after() : wait), retry.reason());
                return Outbox.Status.PENDING;
            }
            case ChannelProvider.Delivery.Rejected rejected -> {
                outbox.end(entry, Outbox.Status.FAILED, rejected.reason());
                failed(entry, rejected.reason());
                return Outbox.Status.FAILED;
            }
        }
    }

    /** A message that will not be sent is a Message Failed event for the person, with the reason. */
    private void failed(Outbox.Entry entry, String reason) {
        receipts.record(entry.tenant(), entry.person(), "Message Failed", "failed-" + entry.messageId(), entry.messageId(),
                entry.channel(), Map.of("reason", reason.length() > DeliveryReports.MAX_REASON
                        ? reason.substring(0, DeliveryReports.MAX_REASON) : reason, "stage", "send"));
    }

    private static Outbox.Status join(Future<Outbox.Status> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("recording a send failed", e.getCause());
        }
    }

    private void run() {
        while (running) {
            try {
                drain(clock.instant());
                signal.tryAcquire(pollMillis, TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // database away: keep the loop alive, the rows keep their state
                log.warn("outbox drain failed; retrying in {} ms", pollMillis, e);
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Off on instances that only decide (and in the dispatch benchmark): another instance sends. */
    @Override
    public boolean isAutoStartup() {
        return autoStart;
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("siyu-outbox").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
