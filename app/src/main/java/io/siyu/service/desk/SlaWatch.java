package io.siyu.service.desk;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * SLA timers: every few seconds, tickets still without a first agent reply past their deadline are
 * marked breached (once), counted in {@code siyu.service.sla.breaches} (an alert rule fires on it),
 * logged as a warning, and listed by {@code GET /api/v1/service/tickets?breached=true}.
 */
@Component
class SlaWatch implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SlaWatch.class);

    private final Tickets tickets;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("siyu-sla").factory());

    SlaWatch(Tickets tickets, Clock clock, MeterRegistry meters, @Value("${siyu.service.sla-scan:15s}") java.time.Duration every) {
        this.tickets = tickets;
        this.clock = clock;
        this.meters = meters;
        timer.scheduleWithFixedDelay(this::scanSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Marks and reports breaches now; answers how many were new. */
    int scan() {
        List<Tickets.Ticket> breached = tickets.markBreaches(clock.instant());
        for (Tickets.Ticket t : breached) {
            meters.counter("siyu.service.sla.breaches", "queue", t.queue(), "priority", t.priority()).increment();
            log.warn("SLA breached: ticket {} ({} {}, queue {}) had no agent reply by {}", t.id(), t.kind(), t.priority(), t.queue(), t.slaDueAt());
        }
        return breached.size();
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            // keep the timer alive; the next scan retries the same tickets
            log.error("SLA scan failed", e);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
