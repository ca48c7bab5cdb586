package io.siyu.channel;

import io.siyu.platform.PeriodicTask;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads the receipts that have to be fetched rather than pushed (e-mail bounces in the bounce
 * mailbox) every {@code siyu.channels.receipts.poll-ms} and records them through
 * {@link DeliveryReports}. A failed poll is logged and tried again at the next interval; a bounce
 * that could not be recorded stays in the mailbox.
 */
@Component
class ReceiptPoller extends PeriodicTask {

    private final Channels channels;
    private final DeliveryReports reports;

    ReceiptPoller(Channels channels, DeliveryReports reports, @Value("${siyu.channels.receipts.poll-ms:60000}") long pollMillis) {
        super("siyu-receipts", pollMillis);
        this.channels = channels;
        this.reports = reports;
    }

    @Override
    protected void runOnce() throws Exception {
        pollOnce();
    }

    /** Polls every source once; @return bounces handled. */
    int pollOnce() throws Exception {
        int handled = 0;
        if (channels.provider("email").orElse(null) instanceof BounceSource source) {
            handled += source.pollBounces(b -> reports.report("email", b.messageId(), b.recipient(), b.reason()));
        }
        return handled;
    }
}
