package io.siyu.channel;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What remotes report after they accepted a message (SMS status reports, e-mail bounces, WeChat's
 * template-send results) becomes the message's delivery state and a Message Delivered or Message
 * Failed event. A report names the message by the remote's own id for it (the outbox's provider
 * reference) and must also name the address the message went to, so a report cannot touch a
 * message it is not about. The first report of a message wins; repeats change nothing and record
 * nothing (the event ids are derived from the message id, too).
 */
@Component
class DeliveryReports {

    /** A report's reason is cut here: it is free text from a remote. */
    static final int MAX_REASON = 300;

    /** What became of one report. */
    enum Result { RECORDED, REPEATED, UNKNOWN }

    private final Outbox outbox;
    private final Receipts receipts;
    private final Clock clock;

    DeliveryReports(Outbox outbox, Receipts receipts, Clock clock) {
        this.outbox = outbox;
        this.receipts = receipts;
        this.clock = clock;
    }

    /**
     * @param address the recipient as the report names it; null when the remote names none (WeChat's
     *     report is matched by msgid and the account's openid, checked by the caller)
     * @param error null for delivered, otherwise the remote's reason
     */
    Result report(String channel, String reference, @Nullable String address, @Nullable String error) {
        List<Outbox.Entry> sent = outbox.byReference(channel, reference).stream()
                .filter(e -> address == null || sameAddress(channel, e.address(), address)).toList();
        if (sent.isEmpty()) {
            return Result.UNKNOWN;
        }
        String reason = error == null ? null : error.length() > MAX_REASON ? error.substring(0, MAX_REASON) : error;
        Result result = Result.REPEATED;
        for (Outbox.Entry entry : sent) {
            if (!outbox.reported(entry, clock.instant(), reason)) {
                continue;
            }
            result = Result.RECORDED;
            if (reason == null) {
                receipts.record(entry.tenant(), entry.person(), "Message Delivered", "delivered-" + entry.messageId(),
                        entry.messageId(), channel, Map.of());
            } else {
                receipts.record(entry.tenant(), entry.person(), "Message Failed", "failed-" + entry.messageId(),
                        entry.messageId(), channel, Map.of("reason", reason, "stage", "delivery"));
            }
        }
        return result;
    }

    private static boolean sameAddress(String channel, String sentTo, String reported) {
        return switch (channel) {
            case "sms" -> digits(sentTo).endsWith(digits(reported)) && digits(reported).length() >= 7;
            case "email" -> sentTo.equalsIgnoreCase(reported);
            default -> sentTo.equals(reported);
        };
    }

    private static String digits(String phone) {
        return phone.replaceAll("[^0-9]", "");
    }
}
