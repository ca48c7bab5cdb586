package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.platform.Caller;
import io.siyu.platform.Role;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every management endpoint the application maps, discovered from Spring (so endpoints added later
 * are covered without touching this test), times every role: the policy table must cover it, and
 * the running server must allow exactly what the table allows and answer 403 to the rest.
 */
class EndpointPolicyMatrixTest extends PrivacyApi {

    private record Endpoint(String method, String pattern) {}

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private List<Endpoint> endpoints() {
        Set<String> seen = new TreeSet<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String pattern : entry.getKey().getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    if (seen.add(method + " " + pattern)) {
                        endpoints.add(new Endpoint(method.name(), pattern));
                    }
                }
            }
        }
        return endpoints;
    }

    @Test
    void everyManagementEndpointIsInThePolicyTable() {
        List<String> uncovered = endpoints().stream()
                .filter(e -> AccessPolicyTable.ruleFor(e.method(), e.pattern()).isEmpty())
                .map(e -> e.method() + " " + e.pattern()).toList();
        assertThat(endpoints()).hasSizeGreaterThan(30);
        assertThat(uncovered).as("endpoints missing from AccessPolicyTable.RULES; add a rule for their prefix").isEmpty();
    }

    @Test
    void everyRoleIsAllowedExactlyWhatThePolicySaysOnEveryEndpoint() {
        Brand brand = newBrand();
        List<String> mismatches = new ArrayList<>();
        int calls = 0;
        for (Role role : Role.values()) {
            String token = token(brand, role);
            Caller caller = new Caller.TenantToken(brand.tenant().id(), "matrix", role);
            for (Endpoint endpoint : endpoints()) {
                boolean allowed = AccessPolicyTable.allows(caller, endpoint.method(), endpoint.pattern());
                HttpResponse<String> response = call(endpoint.method(), concrete(endpoint.pattern(), brand), token,
                        endpoint.method().equals("GET") || endpoint.method().equals("DELETE") ? null : "{}");
                calls++;
                boolean denied = response.statusCode() == 403 && response.body().contains("may not call");
                if (allowed == denied || response.statusCode() == 401) {
                    mismatches.add(role.key() + " " + endpoint.method() + " " + endpoint.pattern() + ": policy "
                            + (allowed ? "allows" : "denies") + ", server answered " + response.statusCode());
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(calls).isEqualTo(Role.values().length * endpoints().size());
    }

    @Test
    void theTableSaysWhatTheRolesAreFor() {
        assertThat(allowed(Role.ANALYST, "GET", "/api/v1/profiles/{personId}")).isFalse();
        assertThat(allowed(Role.OPERATOR, "GET", "/api/v1/profiles/{personId}")).isTrue();
        assertThat(allowed(Role.AGENT, "POST", "/api/v1/segments/{name}")).isFalse();
        assertThat(allowed(Role.AGENT, "POST", "/api/v1/service/tickets")).isTrue();
        assertThat(allowed(Role.AUDITOR, "POST", "/api/v1/audit/verify")).isTrue();
        assertThat(allowed(Role.AUDITOR, "PUT", "/api/v1/segments/{name}")).isFalse();
        assertThat(allowed(Role.AUDITOR, "GET", "/api/v1/compliance/reviews")).isTrue();
        assertThat(allowed(Role.AUDITOR, "POST", "/api/v1/compliance/reviews")).isFalse();
        assertThat(allowed(Role.OPERATOR, "POST", "/api/v1/privacy/people/{personId}/erase")).isFalse();
        assertThat(allowed(Role.ADMIN, "POST", "/api/v1/tenants")).as("creating tenants is the installation's").isFalse();
        assertThat(AccessPolicyTable.allows(new Caller.Admin(), "POST", "/api/v1/tenants")).isTrue();
        assertThat(allowed(Role.OPERATOR, "GET", "/api/v1/unheard-of")).as("unlisted: tenant admin only").isFalse();
        assertThat(allowed(Role.ADMIN, "GET", "/api/v1/unheard-of")).isTrue();
    }

    private static boolean allowed(Role role, String method, String pattern) {
        return AccessPolicyTable.allows(new Caller.TenantToken(new io.siyu.platform.TenantId(1), "t", role), method, pattern);
    }

    /** A callable path for a pattern: the brand's own id for {id}, an unknown person for {personId}, a name otherwise. */
    private static String concrete(String pattern, Brand brand) {
        return pattern.replace("{id}", Integer.toString(brand.tenant().id().value()))
                .replace("{personId}", "00000000-0000-0000-0000-000000000000")
                .replaceAll("\\{[^}]+}", "matrix");
    }
}
