package io.siyu.referral;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A referral campaign as operators define it.
 *
 * <ul>
 *   <li>{@code INVITE}: a sharer's new friends earn the sharer {@code sharerReward} and themselves the
 *       newcomer pack {@code friendRewards} (coupon template ids).</li>
 *   <li>{@code HELP} (好友助力): a person starts a task; when {@code helpersNeeded} friends helped within
 *       {@code taskHours}, the owner gets {@code friendRewards} and the ERP is told through the webhook
 *       endpoint {@code fulfilmentWebhook} to ship {@code fulfilmentSku}.</li>
 * </ul>
 */
record Campaign(String id, String name, Kind kind, Status status, Instant startsAt, Instant endsAt, String landingUrl,
        @Nullable String sharerReward, List<String> friendRewards, @Nullable Integer helpersNeeded, @Nullable Integer taskHours,
        @Nullable String fulfilmentWebhook, @Nullable String fulfilmentSku, Instant createdAt) {

    enum Kind { INVITE, HELP }

    enum Status { ACTIVE, PAUSED, ENDED }

    Campaign {
        friendRewards = List.copyOf(friendRewards);
    }

    /** True when the campaign takes conversions or helps at {@code at}. */
    boolean runningAt(Instant at) {
        return status == Status.ACTIVE && !at.isBefore(startsAt) && at.isBefore(endsAt);
    }

    /** The share link for a code: {@code {code}} in the landing URL is replaced, else {@code ref=<code>} is appended. */
    String link(String code) {
        if (landingUrl.contains("{code}")) {
            return landingUrl.replace("{code}", code);
        }
        return landingUrl + (landingUrl.contains("?") ? "&" : "?") + "ref=" + code;
    }

    Campaign withStatus(Status next) {
        return new Campaign(id, name, kind, next, startsAt, endsAt, landingUrl, sharerReward, friendRewards, helpersNeeded, taskHours,
                fulfilmentWebhook, fulfilmentSku, createdAt);
    }
}
