package io.siyu.privacy;

import io.siyu.platform.Caller;
import io.siyu.platform.TenantId;
import io.siyu.platform.Tenants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Audits every change made through the management API, whatever the capability: each call other
 * than GET and HEAD leaves an entry with the caller, the endpoint, the path and the status, refused
 * calls included. Reads of personal data are audited where the data is ({@link ProfileReadGuard},
 * exports).
 */
@Configuration(proxyBeanMethods = false)
class AuditTrail implements WebMvcConfigurer {

    private final AuditLog audit;
    private final Tenants tenants;

    AuditTrail(AuditLog audit, Tenants tenants) {
        this.audit = audit;
        this.tenants = tenants;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                    @Nullable Exception ex) {
                String method = request.getMethod();
                if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
                    return;
                }
                Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
                if (caller == null) {
                    return; // not authenticated: nothing was changed, and nobody to name
                }
                Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                audit.record(tenantOf(caller, request), caller.actor(), "api." + method.toLowerCase(java.util.Locale.ROOT),
                        pattern == null ? request.getRequestURI() : pattern.toString(),
                        "path=" + request.getRequestURI() + " status=" + response.getStatus());
            }
        }).addPathPatterns("/api/**");
    }

    private @Nullable TenantId tenantOf(Caller caller, HttpServletRequest request) {
        if (caller instanceof Caller.TenantToken token) {
            return token.tenant();
        }
        String named = request.getHeader("X-Siyu-Tenant");
        if (named == null || named.isBlank() || named.length() > 63) {
            return null;
        }
        return (named.chars().allMatch(Character::isDigit) && named.length() < 10
                ? tenants.find(new TenantId(Math.max(1, Integer.parseInt(named)))) : tenants.findBySlug(named))
                .map(t -> t.id()).orElse(null);
    }
}
