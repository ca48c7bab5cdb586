package io.siyu.privacy;

import io.siyu.platform.Credentials;
import io.siyu.platform.WriteKeyGate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces write keys' scopes and request rates on the Segment-spec ingestion paths ({@code /v1/*})
 * before any body is read: a call outside the key's scopes is a 403 problem, one over its rate a
 * 429 with {@code Retry-After}. Unknown keys pass through to the controller, which answers 401.
 * The check itself is the {@link WriteKeyGate} bean, which the lean single-event path of the
 * ingestion module calls before this filter would run; a request is checked once.
 */
@Configuration(proxyBeanMethods = false)
class WriteKeyLimits {

    /** Set on a request once it has been checked, so that nothing charges it twice. */
    static final String CHECKED = WriteKeyLimits.class.getName() + ".checked";

    @Bean
    WriteKeyGate writeKeyGate(Credentials credentials) {
        RateLimiter limiter = new RateLimiter();
        return (request, response) -> {
            if (request.getAttribute(CHECKED) != null) {
                return true;
            }
            request.setAttribute(CHECKED, Boolean.TRUE);
            String key = writeKey(request.getHeader("Authorization"));
            Optional<Credentials.WriteKeyPolicy> policy = key == null ? Optional.empty() : credentials.writeKeyPolicy(key);
            if (policy.isPresent() && "POST".equals(request.getMethod())) {
                String scope = scopeOf(request.getRequestURI().substring(request.getContextPath().length()));
                if (scope != null && !policy.get().scopes().contains(scope)) {
                    problem(response, 403, "forbidden", "Forbidden", "写入密钥无 '" + scope + "' 权限 / this write key's scopes "
                            + policy.get().scopes() + " do not include '" + scope + "'", request, 0);
                    return false;
                }
                long wait = limiter.acquire("wk:" + policy.get().id(), policy.get().ratePerSecond(), System.nanoTime());
                if (wait > 0) {
                    problem(response, 429, "too-many-requests", "Too many requests", "写入过快 / this write key is limited to "
                            + policy.get().ratePerSecond() + " requests a second", request, wait);
                    return false;
                }
            }
            return true;
        };
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> writeKeyLimitFilter(WriteKeyGate gate) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (gate.admit(request, response)) {
                    chain.doFilter(request, response);
                }
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/v1/*");
        registration.setName("writeKeyLimits");
        return registration;
    }

    /** The scope a Segment path needs, or null for paths that are not calls. */
    static @Nullable String scopeOf(String path) {
        String call = path.startsWith("/v1/") ? path.substring(4) : "";
        if (call.endsWith("/")) {
            call = call.substring(0, call.length() - 1);
        }
        return switch (call) {
            case "track", "t" -> "track";
            case "identify", "i" -> "identify";
            case "page", "p" -> "page";
            case "screen", "s" -> "screen";
            case "group", "g" -> "group";
            case "alias", "a" -> "alias";
            case "batch", "b", "import" -> "batch";
            default -> null;
        };
    }

    private static @Nullable String writeKey(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void problem(HttpServletResponse response, int status, String type, String title, String detail,
            HttpServletRequest request, long retryAfter) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        if (retryAfter > 0) {
            response.setHeader("Retry-After", Long.toString(retryAfter));
        }
        response.getWriter().write("{\"type\":\"https://siyu.io/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":"
                + status + ",\"detail\":\"" + escape(detail) + "\",\"instance\":\"" + escape(request.getRequestURI()) + "\"}");
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
