package io.siyu.referral;

import io.siyu.identity.PersonId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A person's "invite N friends to help" task (好友助力) in a HELP campaign. */
record HelpTask(String id, String campaignId, PersonId owner, String ownerIdentifier, int needed, int helped, Status status,
        @Nullable String rewards, Instant startedAt, Instant expiresAt, @Nullable Instant completedAt, @Nullable Instant rewardedAt) {

    enum Status { OPEN, COMPLETED }

    boolean expiredAt(Instant at) {
        return status == Status.OPEN && !at.isBefore(expiresAt);
    }
}
