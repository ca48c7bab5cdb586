package io.siyu.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bearer-token authentication of the management API ({@code /api/**}). Controllers declare a
 * {@link Caller} parameter to learn who calls, or a {@link TenantId} parameter to get the tenant
 * the call acts on: a tenant token's own, or for the administrator the one named by the
 * {@code X-Siyu-Tenant} header (id or slug).
 *
 * <p>Tokens are tried in order: the administrator token and the tenants' API tokens
 * ({@link Credentials}), then every {@link BearerTokens} bean (personal access tokens, OAuth2
 * access tokens). Once the caller is known, the {@link AccessPolicy} decides whether its role may
 * call the endpoint; a tenant token never reaches another tenant, whatever header it sends.
 */
@Configuration(proxyBeanMethods = false)
class ManagementAuthentication implements WebMvcConfigurer {

    static final String TENANT_HEADER = "X-Siyu-Tenant";
    private static final String CALLER = Caller.REQUEST_ATTRIBUTE;

    private final Credentials credentials;
    private final Tenants tenants;
    private final ObjectProvider<BearerTokens> bearerTokens;
    private final ObjectProvider<AccessPolicy> policies;

    ManagementAuthentication(Credentials credentials, Tenants tenants, ObjectProvider<BearerTokens> bearerTokens,
            ObjectProvider<AccessPolicy> policies) {
        this.credentials = credentials;
        this.tenants = tenants;
        this.bearerTokens = bearerTokens;
        this.policies = policies;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                String header = request.getHeader("Authorization");
                if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    throw new Unauthorized("Bearer", "the management API needs 'Authorization: Bearer <token>'");
                }
                Caller caller = callerOf(header.substring(7).trim())
                        .orElseThrow(() -> new Unauthorized("Bearer", "the bearer token is not valid"));
                request.setAttribute(CALLER, caller);
                if (handler instanceof HandlerMethod
                        && request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
                    authorise(caller, request.getMethod(), pattern);
                }
                return true;
            }
        }).addPathPatterns("/api/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Caller.class || parameter.getParameterType() == TenantId.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest web,
                    WebDataBinderFactory binders) {
                HttpServletRequest request = web.getNativeRequest(HttpServletRequest.class);
                Caller caller = (Caller) request.getAttribute(CALLER);
                if (caller == null) {
                    throw new Unauthorized("Bearer", "this endpoint needs a bearer token");
                }
                return parameter.getParameterType() == Caller.class ? caller : tenantOf(caller, request);
            }
        });
    }

    private Optional<Caller> callerOf(String token) {
        Optional<Caller> caller = credentials.callerOfToken(token);
        for (var it = bearerTokens.orderedStream().iterator(); caller.isEmpty() && it.hasNext(); ) {
            caller = it.next().callerOf(token);
        }
        return caller;
    }

    private void authorise(Caller caller, String method, String pattern) {
        AccessPolicy policy = policies.getIfAvailable();
        if (policy != null) {
            policy.authorise(caller, method, pattern);
        } else if (caller.role() != Role.ADMIN) {
            throw new Forbidden("no access policy is installed: only administrators may call the management API");
        }
    }

    private TenantId tenantOf(Caller caller, HttpServletRequest request) {
        return switch (caller) {
            case Caller.TenantToken token -> token.tenant();
            case Caller.Admin admin -> {
                String named = request.getHeader(TENANT_HEADER);
                if (named == null || named.isBlank()) {
                    throw new InvalidInput(TENANT_HEADER, "required",
                            "the administrator must name the tenant in the " + TENANT_HEADER + " header (id or slug)");
                }
                Tenant tenant = (named.chars().allMatch(Character::isDigit) && named.length() < 10
                        ? tenants.find(new TenantId(Math.max(1, Integer.parseInt(named))))
                        : tenants.findBySlug(named))
                        .orElseThrow(() -> new NotFound("tenant '" + named + "' does not exist"));
                yield tenant.id();
            }
        };
    }
}
