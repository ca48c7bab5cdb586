package io.siyu.privacy;

import static io.siyu.platform.Role.ADMIN;
import static io.siyu.platform.Role.AGENT;
import static io.siyu.platform.Role.ANALYST;
import static io.siyu.platform.Role.AUDITOR;
import static io.siyu.platform.Role.OPERATOR;
import static io.siyu.privacy.AccessPolicyTable.Access.ANY;
import static io.siyu.privacy.AccessPolicyTable.Access.READ;
import static io.siyu.privacy.AccessPolicyTable.Access.WRITE;

import io.siyu.platform.AccessPolicy;
import io.siyu.platform.Caller;
import io.siyu.platform.Forbidden;
import io.siyu.platform.Role;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which roles may call which management endpoint: least privilege, one table. A rule names an HTTP
 * method class ({@link Access#READ} for GET and HEAD, {@link Access#WRITE} for the others,
 * {@link Access#ANY}) and a path prefix of the endpoint's mapped pattern, matched segment by
 * segment; the longest matching prefix wins, and a rule for {@code READ}/{@code WRITE} beats an
 * {@code ANY} rule of the same prefix. An endpoint no rule covers is open to the tenant's
 * {@link Role#ADMIN} only, and {@code EndpointPolicyMatrixTest} fails until it is added here.
 *
 * <p>To register endpoints of a new capability, add one line per prefix to {@link #RULES}, e.g.
 * {@code rule(READ, "/api/v1/journeys", ADMIN, OPERATOR, ANALYST)}. The installation administrator
 * passes every rule; a frozen caller (see {@link ExportWatch}) passes none until released.
 */
@Component
public class AccessPolicyTable implements AccessPolicy {

    /** Which methods a rule covers. */
    public enum Access {
        READ, WRITE, ANY;

        boolean covers(String method) {
            boolean read = method.equals("GET") || method.equals("HEAD");
            return this == ANY || (this == READ) == read;
        }
    }

    /**
     * @param exact match the pattern itself only, not the paths below it
     * @param installationOnly only the installation administrator, no tenant role
     */
    public record Rule(Access access, String prefix, Set<Role> roles, boolean exact, boolean installationOnly) {
        public Rule {
            roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        }

        boolean matches(String method, String pattern) {
            return access.covers(method) && (exact ? pattern.equals(prefix)
                    : pattern.equals(prefix) || pattern.startsWith(prefix.endsWith("/") ? prefix : prefix + "/"));
        }
    }

    /** The policy. Order does not matter: the most specific rule decides. */
    public static final List<Rule> RULES = List.of(
            // tenants and their keys: reading one's own tenant is everyone's; keys are the tenant admin's
            rule(READ, "/api/v1/tenants", ADMIN, OPERATOR, ANALYST, AGENT, AUDITOR),
            rule(WRITE, "/api/v1/tenants", ADMIN),
            rule(READ, "/api/v1/tenants/{id}/write-keys", ADMIN),
            rule(READ, "/api/v1/tenants/{id}/api-tokens", ADMIN),
            new Rule(WRITE, "/api/v1/tenants", Set.of(), true, true),
            rule(READ, "/api/v1/events/dictionary", ADMIN, OPERATOR, ANALYST, AGENT, AUDITOR),
            rule(READ, "/api/v1/quarantine", ADMIN, OPERATOR),
            rule(ANY, "/api/v1/wecom", ADMIN),
            rule(ANY, "/api/v1/import", ADMIN, OPERATOR),
            // profiles: people who serve or market to a person read them (masked); analysts never do
            rule(READ, "/api/v1/profiles", ADMIN, OPERATOR, AGENT),
            rule(WRITE, "/api/v1/profiles", ADMIN, OPERATOR),
            // a person's recommendations: behaviour, no PII, but about one person, so not for analysts
            rule(READ, "/api/v1/profiles/{personId}/recommendations", ADMIN, OPERATOR, AGENT),
            // best sellers for visitors without a profile: no person in them
            rule(READ, "/api/v1/recommendations", ADMIN, OPERATOR, ANALYST, AGENT),
            // tags, segments, RFM: analysts read definitions and counts, not lists of people
            rule(READ, "/api/v1/tags", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/tags", ADMIN, OPERATOR),
            rule(READ, "/api/v1/tags/{tag}/people", ADMIN, OPERATOR),
            rule(READ, "/api/v1/segments", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/segments", ADMIN, OPERATOR),
            rule(WRITE, "/api/v1/segments/count", ADMIN, OPERATOR, ANALYST),
            rule(READ, "/api/v1/segments/{name}/people", ADMIN, OPERATOR),
            rule(READ, "/api/v1/segments/{name}/export", ADMIN, OPERATOR),
            rule(ANY, "/api/v1/rfm", ADMIN, OPERATOR),
            // capabilities built in parallel: journeys, channels, coupons, referral, analytics
            rule(READ, "/api/v1/journeys", ADMIN, OPERATOR, ANALYST),
            rule(READ, "/api/v1/journey-templates", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/journey-templates", ADMIN, OPERATOR),
            rule(READ, "/api/v1/send-policy", ADMIN, OPERATOR, ANALYST, AUDITOR),
            rule(WRITE, "/api/v1/send-policy", ADMIN, OPERATOR),
            rule(ANY, "/api/v1/admin/clock", ADMIN),
            rule(READ, "/api/v1/message-templates", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/message-templates", ADMIN, OPERATOR),
            rule(READ, "/api/v1/messages", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/messages", ADMIN, OPERATOR),
            rule(ANY, "/api/v1/webhooks", ADMIN, OPERATOR),
            rule(ANY, "/api/v1/inbox", ADMIN, OPERATOR, AGENT),
            rule(READ, "/api/v1/coupon-templates", ADMIN, OPERATOR, ANALYST, AGENT),
            rule(WRITE, "/api/v1/coupon-templates", ADMIN, OPERATOR),
            rule(WRITE, "/api/v1/coupon-templates/{id}/claim", ADMIN, OPERATOR, AGENT),
            rule(WRITE, "/api/v1/checkout/quote", ADMIN, OPERATOR, AGENT),
            rule(WRITE, "/api/v1/journeys", ADMIN, OPERATOR),
            rule(READ, "/api/v1/channels", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/channels", ADMIN, OPERATOR),
            rule(READ, "/api/v1/coupons", ADMIN, OPERATOR, ANALYST, AGENT),
            rule(WRITE, "/api/v1/coupons", ADMIN, OPERATOR),
            rule(READ, "/api/v1/referrals", ADMIN, OPERATOR, ANALYST),
            rule(WRITE, "/api/v1/referrals", ADMIN, OPERATOR),
            rule(READ, "/api/v1/analytics", ADMIN, OPERATOR, ANALYST),
            // customer service: agents, and the operators who run the desk
            rule(ANY, "/api/v1/service", ADMIN, OPERATOR, AGENT),
            // content compliance and risk: auditors read, operators act, agents check their replies
            rule(READ, "/api/v1/compliance", ADMIN, OPERATOR, AUDITOR),
            rule(WRITE, "/api/v1/compliance", ADMIN, OPERATOR),
            rule(WRITE, "/api/v1/compliance/check", ADMIN, OPERATOR, AGENT),
            rule(READ, "/api/v1/risk", ADMIN, OPERATOR, AUDITOR),
            rule(WRITE, "/api/v1/risk", ADMIN, OPERATOR),
            // this capability
            rule(READ, "/api/v1/audit", ADMIN, AUDITOR),
            rule(WRITE, "/api/v1/audit/verify", ADMIN, AUDITOR),
            rule(READ, "/api/v1/consent", ADMIN, OPERATOR, AGENT, AUDITOR),
            rule(WRITE, "/api/v1/consent", ADMIN, OPERATOR, AGENT),
            rule(ANY, "/api/v1/privacy", ADMIN),
            rule(ANY, "/api/v1/access", ADMIN),
            rule(READ, "/api/v1/access/members", ADMIN, AUDITOR),
            rule(ANY, "/api/v1/access/personal-tokens", ADMIN, OPERATOR, ANALYST, AGENT, AUDITOR));

    private final ExportWatch exports;
    private final RateLimiter limiter = new RateLimiter();
    private final int ratePerSecond;

    AccessPolicyTable(ExportWatch exports, @Value("${siyu.privacy.api-rate-per-second:100}") int ratePerSecond) {
        this.exports = exports;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * @throws TooManyRequests when the token is over its rate ({@code siyu.privacy.api-rate-per-second},
     *     bursts of twice that); the installation administrator is not limited
     */
    @Override
    public void authorise(Caller caller, String method, String pattern) {
        if (caller instanceof Caller.TenantToken token) {
            exports.requireNotFrozen(token.tenant(), token.tokenName());
            long wait = limiter.acquire(token.tenant().value() + "|" + token.tokenName(), ratePerSecond, System.nanoTime());
            if (wait > 0) {
                throw new TooManyRequests("请求过于频繁 / this token is limited to " + ratePerSecond + " requests a second", wait);
            }
        }
        if (!allows(caller, method, pattern)) {
            throw new Forbidden("角色 " + caller.role().key() + " 无权调用 " + method + " " + pattern
                    + " / role '" + caller.role().key() + "' may not call " + method + " " + pattern);
        }
    }

    /** Whether the caller's role may call the endpoint, by the table alone. */
    public static boolean allows(Caller caller, String method, String pattern) {
        if (caller.isAdmin()) {
            return true;
        }
        return ruleFor(method, pattern)
                .map(rule -> !rule.installationOnly() && rule.roles().contains(caller.role()))
                .orElse(caller.role() == Role.ADMIN);
    }

    /** The rule that decides an endpoint, or empty when none covers it. */
    public static Optional<Rule> ruleFor(String method, String pattern) {
        return RULES.stream().filter(rule -> rule.matches(method, pattern))
                .max(Comparator.<Rule>comparingInt(rule -> rule.exact() ? Integer.MAX_VALUE : rule.prefix().length())
                        .thenComparing(rule -> rule.access() != Access.ANY));
    }

    private static Rule rule(Access access, String prefix, Role... roles) {
        return new Rule(access, prefix, Set.of(roles), false, false);
    }
}
