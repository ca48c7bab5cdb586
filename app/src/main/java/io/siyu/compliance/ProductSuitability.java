package io.siyu.compliance;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The suitability rule for financial products: a person is never recommended or sent a product
 * rated above their own risk assessment (the {@value #ASSESSMENT_TRAIT} trait, C1–C5 or R1–R5),
 * and a person without a valid assessment only R1 products. Products without a rating are not
 * financial products and are always suitable. Recommenders and senders call this before offering.
 */
@Component
public class ProductSuitability {

    /** The profile trait holding a person's risk assessment. */
    public static final String ASSESSMENT_TRAIT = "risk_assessment";

    private final FinancialProducts products;
    private final ProfileDirectory profiles;

    ProductSuitability(FinancialProducts products, ProfileDirectory profiles) {
        this.products = products;
        this.profiles = profiles;
    }

    /** The rule itself: may a person assessed at {@code assessment} (null: none) be offered {@code product}? */
    public static Suitability judge(RiskLevel product, @Nullable RiskLevel assessment) {
        if (assessment == null) {
            return product == RiskLevel.R1 ? Suitability.SUITABLE : new Suitability.Unsuitable("risk:no-assessment");
        }
        return product.above(assessment)
                ? new Suitability.Unsuitable("risk:above-assessment:" + product + ">" + assessment)
                : Suitability.SUITABLE;
    }

    /** May {@code person} be recommended or sent product {@code productId}? */
    public Suitability check(TenantId tenant, PersonId person, String productId) {
        Optional<RiskLevel> rating = products.rating(tenant, productId);
        if (rating.isEmpty()) {
            return Suitability.SUITABLE;
        }
        return judge(rating.get(), assessmentOf(tenant, person));
    }

    /** The candidates {@code person} may be offered, in their order; one assessment lookup and one rating query for all. */
    public <T> List<T> suitableOnly(TenantId tenant, PersonId person, List<T> candidates, Function<T, String> productId) {
        return suitableOnly(tenant, assessmentOf(tenant, person), candidates, productId);
    }

    /**
     * The candidates someone assessed at {@code assessment} (null: not assessed, e.g. an anonymous
     * visitor) may be offered, in their order.
     */
    public <T> List<T> suitableOnly(TenantId tenant, @Nullable RiskLevel assessment, List<T> candidates,
            Function<T, String> productId) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<String, RiskLevel> ratings = products.ratings(tenant, candidates.stream().map(productId).distinct().toList());
        List<T> kept = new ArrayList<>(candidates.size());
        for (T candidate : candidates) {
            RiskLevel rating = ratings.get(productId.apply(candidate));
            if (rating == null || judge(rating, assessment).allowed()) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /** The person's assessment, or null when they have none (or an unreadable one) or do not exist. */
    public @Nullable RiskLevel assessmentOf(TenantId tenant, PersonId person) {
        return profiles.find(tenant, person).map(ProfileView::traits).map(traits -> traits.get(ASSESSMENT_TRAIT))
                .flatMap(RiskLevel::parse).orElse(null);
    }
}
