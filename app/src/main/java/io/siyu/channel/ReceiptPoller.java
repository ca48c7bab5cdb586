package io.siyu.channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the receipts that have to be fetched rather than pushed (e-mail bounces in the bounce
 * mailbox) every {@code siyu.channels.receipts.poll-ms} and records them through
 * {@link DeliveryReports}. A failed poll is logged and tried again at the next interval; a bounce
 * that could not be recorded stays in the mailbox.
 */
@Component
class ReceiptPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReceiptPoller.class);

    private final Channels channels;
    private final DeliveryReports reports;
    private final long pollMillis;
    private volatile boolean running;
    private Thread loop = new Thread(() -> {});

    ReceiptPoller(Channels channels, DeliveryReports reports, @Value("${siyu.channels.receipts.poll-ms:60000}") long pollMillis) {
        this.channels = channels;
        this.reports = reports;
        this.pollMillis = pollMillis;
    }

    /** Polls every source once; @return bounces handled. */
    int pollOnce() throws Exception {
        int handled = 0;
        if (channels.provider("email").orElse(null) instanceof BounceSource source) {
            handled += source.pollBounces(b -> reports.report("email", b.messageId(), b.recipient(), b.reason()));
        }
        return handled;
    }

    private void run() {
        while (running) {
            try {
                pollOnce();
            } catch (Exception e) {
                log.warn("reading bounces failed; trying again in {} ms", pollMillis, e);
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("siyu-receipts").daemon().start(this::run);
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
