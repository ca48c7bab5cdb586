package io.siyu.recommendation;

import io.siyu.action.Consent;
import io.siyu.action.ProductRecommender;
import io.siyu.compliance.ProductSuitability;
import io.siyu.compliance.RiskLevel;
import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import io.siyu.privacy.Personalisation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Product recommendations, lawful by construction: the personalised list (what the person left in
 * the cart or viewed and did not buy, then popular products of the categories they prefer) is
 * computed only when their personalisation consent is {@link Consent#ALL} ({@link Personalisation});
 * everyone else gets the tenant's best sellers of the last days, computed without their data. Either
 * list then passes {@link ProductSuitability}, so a financial product above the person's risk
 * assessment is never offered. Used by the API and by message templates.
 */
@Component
public class Recommendations implements ProductRecommender {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 50;
    /** Candidates fetched beyond the limit, so that products taken out as unsuitable leave the list full where possible. */
    private static final int SPARE = 20;

    /** Where candidates come from: the engine in production; tests count the calls. */
    interface Source {

        /** The canonical index of a known person of the tenant, or -1. */
        int canonical(TenantId tenant, PersonId person);

        List<Recommendation.Item> personal(TenantId tenant, int person, int max);

        List<Recommendation.Item> popular(TenantId tenant, int max);
    }

    private final Source source;
    private final Personalisation personalisation;
    private final ProductSuitability suitability;

    @Autowired
    Recommendations(Engine engine, Personalisation personalisation, ProductSuitability suitability) {
        this(new EngineSource(engine), personalisation, suitability);
    }

    Recommendations(Source source, Personalisation personalisation, ProductSuitability suitability) {
        this.source = source;
        this.personalisation = personalisation;
        this.suitability = suitability;
    }

    /**
     * Up to {@code limit} products for a person, best first.
     *
     * @return empty when the tenant has no such person
     * @throws InvalidInput when {@code limit} is not 1–{@value #MAX_LIMIT}
     */
    public Optional<Recommendation> forPerson(TenantId tenant, PersonId person, int limit) {
        checkLimit(limit);
        if (person.tenant() != tenant.value() || person.index() < 0) {
            return Optional.empty();
        }
        int canonical = source.canonical(tenant, person);
        if (canonical < 0) {
            return Optional.empty();
        }
        PersonId id = PersonId.of(tenant.value(), canonical);
        int max = limit + SPARE;
        return Optional.of(personalisation.choose(tenant, id,
                () -> new Recommendation(id.toString(), true, "consent:personalisation=all",
                        suitable(tenant, id, source.personal(tenant, canonical, max), limit)),
                answer -> new Recommendation(id.toString(), false,
                        "consent:personalisation=" + answer.name().toLowerCase(Locale.ROOT),
                        suitable(tenant, id, source.popular(tenant, max), limit))));
    }

    /**
     * The tenant's best sellers for someone without a profile (an anonymous visitor, a landing
     * page): only products suitable for a person without a risk assessment.
     *
     * @throws InvalidInput when {@code limit} is not 1–{@value #MAX_LIMIT}
     */
    public List<Recommendation.Item> popular(TenantId tenant, int limit) {
        checkLimit(limit);
        List<Recommendation.Item> kept = suitability.suitableOnly(tenant, (RiskLevel) null,
                source.popular(tenant, limit + SPARE), Recommendation.Item::productId);
        return kept.size() > limit ? List.copyOf(kept.subList(0, limit)) : kept;
    }

    @Override
    public List<String> namesFor(TenantId tenant, PersonId person, int limit) {
        return forPerson(tenant, person, Math.clamp(limit, 1, MAX_LIMIT))
                .map(r -> r.items().stream().map(item -> item.name() != null ? item.name() : item.productId()).toList())
                .orElse(List.of());
    }

    private List<Recommendation.Item> suitable(TenantId tenant, PersonId person, List<Recommendation.Item> candidates, int limit) {
        List<Recommendation.Item> kept = suitability.suitableOnly(tenant, person, candidates, Recommendation.Item::productId);
        return kept.size() > limit ? List.copyOf(kept.subList(0, limit)) : kept;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit", "range", "limit 须为 1–" + MAX_LIMIT + " / limit must be 1 to " + MAX_LIMIT
                    + ", was " + limit);
        }
    }

    /** Asks the owning partition's thread, so reads see every event acknowledged before them. */
    record EngineSource(Engine engine) implements Source {

        @Override
        public int canonical(TenantId tenant, PersonId person) {
            return engine.ask(tenant.value(), state -> {
                if (person.index() >= state.graph().size()) {
                    return -1;
                }
                int canonical = state.graph().canonical(person.index());
                return state.profile(canonical) == null ? -1 : canonical;
            });
        }

        @Override
        public List<Recommendation.Item> personal(TenantId tenant, int person, int max) {
            long now = engine.clock().millis();
            return engine.ask(tenant.value(), state -> state.part(ProductExtension.ID, ProductBook.class)
                    .personal(state, person, max, now));
        }

        @Override
        public List<Recommendation.Item> popular(TenantId tenant, int max) {
            long now = engine.clock().millis();
            return engine.ask(tenant.value(), state -> state.part(ProductExtension.ID, ProductBook.class)
                    .popular(state, max, now));
        }
    }
}
