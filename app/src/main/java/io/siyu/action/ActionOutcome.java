package io.siyu.action;

import java.time.Duration;
import java.util.Map;

/** What became of an {@link ActionRequest}. */
public sealed interface ActionOutcome {

    /** Performed; {@code output} is available to later journey steps (e.g. {@code coupon_code}). */
    record Done(String detail, Map<String, String> output) implements ActionOutcome {
        public Done {
            output = Map.copyOf(output);
        }
    }

    /** Not now (remote rate limit, outage): the outbox tries the same action id again after {@code after}. */
    record Retry(Duration after, String reason) implements ActionOutcome {}

    /** Will never succeed (bad template, no stock, no address); recorded with its reason, never retried. */
    record Failed(String reason) implements ActionOutcome {}

    /** Held back by a send policy; recorded with its reason so the decision can be explained. */
    record Suppressed(String reason) implements ActionOutcome {}
}
