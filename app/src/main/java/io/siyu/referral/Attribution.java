package io.siyu.referral;

import io.siyu.identity.PersonId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The one judgement about a friend: who brought them, through which campaign and event, and what
 * came of it.
 *
 * @param status {@code ATTRIBUTED} (decided, rewards being issued), {@code REWARDED}, {@code FLAGGED}
 *     (fraud: no reward, listed for review) or {@code EXISTING} (a customer already: no reward)
 * @param reason why it was flagged or not rewarded; null otherwise
 * @param rewards what each reward came to, e.g. {@code sharer:tpl-20=ABC…; friend:tpl-new=XYZ…}
 */
record Attribution(PersonId friend, @Nullable String friendIdentifier, String campaignId, String code, PersonId sharer,
        String sharerIdentifier, String via, String eventMessageId, Status status, @Nullable String reason, @Nullable String rewards,
        Instant occurredAt, Instant decidedAt) {

    enum Status { ATTRIBUTED, REWARDED, FLAGGED, EXISTING }
}
