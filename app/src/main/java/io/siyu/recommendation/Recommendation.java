package io.siyu.recommendation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A list of products for one person, and which variant it is: {@code personalised} only when the
 * person consented to personalisation in full; otherwise the tenant's best sellers, and
 * {@code reason} says why ({@code consent:personalisation=necessary_only}, {@code ...=refused}).
 * Unsuitable financial products are already taken out.
 *
 * @param personId the person, after merges (a merged-away id answers with the survivor)
 */
public record Recommendation(String personId, boolean personalised, String reason, List<Item> items) {

    /**
     * One product.
     *
     * @param name the name the events last gave it, if any
     * @param category its category, if any event gave one
     * @param reason why it is on the list: {@code in-cart}, {@code wishlist}, {@code viewed} (and
     *               not bought), {@code category:<name>} (a category the person prefers) or
     *               {@code popular}
     */
    public record Item(String productId, @Nullable String name, @Nullable String category, String reason) {}
}
