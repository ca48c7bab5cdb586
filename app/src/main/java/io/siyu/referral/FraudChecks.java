package io.siyu.referral;

import io.siyu.identity.PersonId;
import java.util.List;
import java.util.Set;

/**
 * The fraud rules for invites and helps, as pure functions of what is known about the people
 * involved. A flagged attribution or help earns nothing and is listed for review with its reason.
 *
 * <ul>
 *   <li>{@code self:same-person}: the friend is the sharer (after identity merges).</li>
 *   <li>{@code self:shared-phone}, {@code self:shared-unionid}, {@code self:shared-device}: a second account
 *       of the sharer, recognised by a phone, WeChat unionid or device they share.</li>
 *   <li>{@code device:repeated}: the friend's device was seen with {@code maxPeoplePerDevice} or more
 *       accounts in referral flows (one phone farming invites).</li>
 *   <li>{@code ring:<n>}: the friend is, or shares a phone, unionid or device with, the person who
 *       invited the sharer {@code n} steps up the chain (A invites B invites A).</li>
 * </ul>
 */
final class FraudChecks {

    /** What a check concludes. */
    sealed interface Verdict {
        record Clean() implements Verdict {}

        record Flagged(String reason) implements Verdict {}
    }

    static final Verdict CLEAN = new Verdict.Clean();

    /**
     * A person as the checks see them.
     *
     * @param signals {@code phone:<hash>}, {@code unionid:<id>} and {@code device:<hash>} values
     */
    record Party(PersonId person, Set<String> signals) {}

    private FraudChecks() {}

    /** Self-invites only: the rule a friend's conversion must pass even before it is known to be new. */
    static Verdict self(Party friend, Party sharer) {
        if (friend.person().equals(sharer.person())) {
            return new Verdict.Flagged("self:same-person");
        }
        for (String signal : friend.signals()) {
            if (sharer.signals().contains(signal)) {
                return new Verdict.Flagged("self:shared-" + signal.substring(0, signal.indexOf(':')));
            }
        }
        return CLEAN;
    }

    /**
     * @param upstream who invited the sharer, then who invited them, nearest first
     * @param peopleOnDevice accounts the friend's device was seen with, the friend included; 0 without a device
     */
    static Verdict invite(Party friend, Party sharer, List<Party> upstream, int peopleOnDevice, int maxPeoplePerDevice) {
        Verdict self = self(friend, sharer);
        if (self instanceof Verdict.Flagged) {
            return self;
        }
        if (peopleOnDevice >= maxPeoplePerDevice) {
            return new Verdict.Flagged("device:repeated");
        }
        for (int i = 0; i < upstream.size(); i++) {
            if (self(friend, upstream.get(i)) instanceof Verdict.Flagged) {
                return new Verdict.Flagged("ring:" + (i + 1));
            }
        }
        return CLEAN;
    }

    /** A friend helping a task: not the owner, not from a farmed device. */
    static Verdict help(Party helper, Party owner, int peopleOnDevice, int maxPeoplePerDevice) {
        Verdict self = self(helper, owner);
        if (self instanceof Verdict.Flagged) {
            return self;
        }
        return peopleOnDevice >= maxPeoplePerDevice ? new Verdict.Flagged("device:repeated") : CLEAN;
    }
}
