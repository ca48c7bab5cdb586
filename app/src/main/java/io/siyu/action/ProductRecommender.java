package io.siyu.action;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.List;

/**
 * Products to offer one person in a message: a template that uses {@code {{recommended_products}}}
 * gets the names of the person's recommendations there, chosen with their personalisation consent
 * (the tenant's best sellers without it) and never a financial product above their risk
 * assessment. The recommendation capability provides it; without a bean, or when there is nothing
 * to offer, the variable is left to the template's default.
 */
public interface ProductRecommender {

    /** The template variable this fills. */
    String VARIABLE = "recommended_products";

    /** How many products a message names. */
    int IN_A_MESSAGE = 3;

    /** Display names (the product id where a product has no name), best first; empty when none or no such person. */
    List<String> namesFor(TenantId tenant, PersonId person, int limit);
}
