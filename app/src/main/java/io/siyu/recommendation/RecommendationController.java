package io.siyu.recommendation;

import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.privacy.PersonalReads;
import io.siyu.profile.PersonIds;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recommendations for integrators: a person's list (personalised only with their consent, see
 * {@link Recommendation}) and the tenant's best sellers for visitors without a profile.
 */
@RestController
class RecommendationController {

    /** The best sellers for a visitor without a profile. */
    record Popular(List<Recommendation.Item> items) {}

    private final Recommendations recommendations;
    private final PersonalReads reads;

    RecommendationController(Recommendations recommendations, PersonalReads reads) {
        this.recommendations = recommendations;
        this.reads = reads;
    }

    /**
     * A person's recommendations. The answer is about one person (their consent, their interests,
     * what their risk assessment allows), so it is audited like a profile read.
     */
    @GetMapping("/api/v1/profiles/{personId}/recommendations")
    Recommendation forPerson(TenantId tenant, @PathVariable String personId, HttpServletRequest request) {
        PersonId id = PersonIds.parse("personId", personId);
        Recommendation answer = recommendations.forPerson(tenant, id, limit(request))
                .orElseThrow(() -> new NotFound("no person " + personId));
        reads.admit(tenant, PersonId.parse(answer.personId()), "recommendations.read", request);
        return answer;
    }

    @GetMapping("/api/v1/recommendations/popular")
    Popular popular(TenantId tenant, HttpServletRequest request) {
        return new Popular(recommendations.popular(tenant, limit(request)));
    }

    /** The {@code limit} parameter, given at most once; its range is the service's to check. */
    private static int limit(HttpServletRequest request) {
        String[] values = request.getParameterValues("limit");
        if (values == null) {
            return Recommendations.DEFAULT_LIMIT;
        }
        if (values.length > 1) {
            throw new InvalidInput("limit", "duplicate", "limit 只能给一次 / limit may be given once");
        }
        try {
            return Integer.parseInt(values[0].strip());
        } catch (NumberFormatException e) {
            String shown = values[0].length() > 20 ? values[0].substring(0, 20) + "…" : values[0];
            throw new InvalidInput("limit", "integer", "limit 须为整数 / limit must be an integer, was '" + shown + "'");
        }
    }
}
