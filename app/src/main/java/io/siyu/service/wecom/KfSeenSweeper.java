package io.siyu.service.wecom;

import io.siyu.platform.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the msgid dedupe table of 微信客服 bounded: every hour it forgets the ids taken in longer
 * ago than {@code siyu.service.wecom-kf.seen-retention} (7 days by default). WeCom serves a message
 * through {@code sync_msg} for three days, and a retried callback or a re-read page comes within
 * minutes, so an id older than that cannot arrive again; without this the table grew by one row per
 * customer message for ever.
 */
@Component
class KfSeenSweeper extends PeriodicTask {

    static final int BATCH = 10_000;

    private final KfStore store;
    private final Clock clock;
    private final Duration retention;

    KfSeenSweeper(KfStore store, Clock clock, @Value("${siyu.service.wecom-kf.seen-retention:P7D}") Duration retention,
            @Value("${siyu.service.wecom-kf.seen-sweep-ms:3600000}") long everyMillis) {
        super("siyu-wecom-kf-seen-sweeper", everyMillis);
        if (retention.compareTo(Duration.ofDays(3)) < 0) {
            throw new IllegalArgumentException("siyu.service.wecom-kf.seen-retention must be at least 3 days (WeCom serves "
                    + "messages that long), was " + retention);
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    protected void runOnce() {
        sweep(clock.instant());
    }

    /** Forgets what is older than the retention at {@code now}, in batches. @return ids forgotten */
    int sweep(Instant now) {
        Instant before = now.minus(retention);
        int forgotten = 0;
        int n;
        while ((n = store.forgetSeenBefore(before, BATCH)) > 0) {
            forgotten += n;
        }
        return forgotten;
    }
}
