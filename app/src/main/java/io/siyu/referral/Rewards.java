package io.siyu.referral;

import io.siyu.coupon.CouponDesk;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Gives referral rewards through the coupon desk. Every coupon is issued with an action id derived
 * from what earned it ({@code referral:<campaign>:<friend>:sharer}, {@code help:<task>:<template>}),
 * which the desk makes idempotent: a replay, a duplicate event or a sweep after a crash gets the
 * coupon issued the first time, never a second one.
 */
@Component
class Rewards {

    /** What the rewards came to, and the facts to record about them. */
    record Given(String summary, List<ReferralEvents.Fact> facts) {}

    private final CouponDesk desk;

    Rewards(CouponDesk desk) {
        this.desk = desk;
    }

    /** The sharer's coupon and the friend's newcomer pack for an attribution. */
    Given invite(TenantId tenant, Campaign campaign, Attribution a) {
        List<String> parts = new ArrayList<>();
        List<ReferralEvents.Fact> facts = new ArrayList<>();
        String key = "referral:" + campaign.id() + ":" + a.friend();
        if (campaign.sharerReward() != null) {
            give(tenant, a.sharer(), a.sharerIdentifier(), List.of(campaign.sharerReward()), key + ":sharer", "sharer", campaign, a.code(),
                    parts, facts);
        }
        give(tenant, a.friend(), a.friendIdentifier(), campaign.friendRewards(), key + ":friend", "friend", campaign, a.code(), parts,
                facts);
        return new Given(String.join("; ", parts), facts);
    }

    /** The owner's reward for a completed help task. */
    Given task(TenantId tenant, Campaign campaign, HelpTask task) {
        List<String> parts = new ArrayList<>();
        List<ReferralEvents.Fact> facts = new ArrayList<>();
        give(tenant, task.owner(), task.ownerIdentifier(), campaign.friendRewards(), "help:" + task.id(), "task-owner", campaign,
                task.id(), parts, facts);
        return new Given(String.join("; ", parts), facts);
    }

    private void give(TenantId tenant, PersonId person, @Nullable String identifier, List<String> templates, String key, String role,
            Campaign campaign, String reference, List<String> parts, List<ReferralEvents.Fact> facts) {
        if (templates.isEmpty()) {
            return;
        }
        if (identifier == null) {
            parts.add(role + ":unnameable"); // only a phone hash: no coupon event could name them
            return;
        }
        List<String> codes = new ArrayList<>();
        for (String template : templates) {
            switch (desk.issue(tenant, person, identifier, template, false, key + ":" + template, CouponDesk.Signals.NONE)) {
                case CouponDesk.Outcome.Issued issued -> {
                    parts.add(role + ":" + template + "=" + issued.code());
                    codes.add(issued.code());
                }
                case CouponDesk.Outcome.Refused refused -> parts.add(role + ":" + template + "!" + refused.reason());
            }
        }
        if (!codes.isEmpty()) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("campaign_id", campaign.id());
            properties.put("role", role);
            properties.put("reference", reference);
            properties.put("coupon_ids", String.join(",", codes));
            facts.add(new ReferralEvents.Fact(identifier, ReferralEvents.REWARDED, "referral-rewarded-" + key, properties));
        }
    }
}
