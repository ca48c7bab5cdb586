package io.siyu.action;

import org.jspecify.annotations.Nullable;

/**
 * A {@link SendPolicy} that also weighs the financial product a message offers, for
 * {@link SuitabilityGate}. A send names its product with the action parameter
 * {@value #PARAMETER} (a journey node's parameters, or {@code product} in {@code POST
 * /api/v1/messages}); senders call {@link #decideFor} so a policy without product rules still works.
 */
public interface ProductSendPolicy extends SendPolicy {

    /** The action parameter naming the product a message offers. */
    String PARAMETER = "product";

    /** As {@link #decide(SendIntent)}, for a message offering {@code product} (null: none). */
    Decision decide(SendIntent intent, @Nullable String product);

    /** Asks {@code policy}, passing the product when the policy weighs products. */
    static Decision decideFor(SendPolicy policy, SendIntent intent, @Nullable String product) {
        return policy instanceof ProductSendPolicy products ? products.decide(intent, product) : policy.decide(intent);
    }
}
