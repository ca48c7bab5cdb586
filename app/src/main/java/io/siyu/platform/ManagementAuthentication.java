package io.siyu.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bearer-token authentication of the management API ({@code /api/**}). Controllers declare a
 * {@link Caller} parameter to learn who calls, or a {@link TenantId} parameter to get the tenant
 * the call acts on: a tenant token's own, or for the administrator the one named by the
 * {@code X-Siyu-Tenant} header (id or slug).
 */
@Configuration(proxyBeanMethods = false)
class ManagementAuthentication implements WebMvcConfigurer {

    static final String TENANT_HEADER = "X-Siyu-Tenant";
    private static final String CALLER = Caller.class.getName();

    private final Credentials credentials;
    private final Tenants tenants;

    ManagementAuthentication(Credentials credentials, Tenants tenants) {
        this.credentials = credentials;
        this.tenants = tenants;
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
                Caller caller = credentials.callerOfToken(header.substring(7).trim())
                        .orElseThrow(() -> new Unauthorized("Bearer", "the bearer token is not valid"));
                request.setAttribute(CALLER, caller);
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
