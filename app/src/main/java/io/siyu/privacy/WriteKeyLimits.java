package io.siyu.privacy;

import io.siyu.platform.Credentials;
import io.siyu.platform.Forbidden;
import io.siyu.platform.RateLimited;
import io.siyu.platform.WriteKeyGate;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Enforces write keys' scopes and request rates on the Segment-spec ingestion paths ({@code /v1/*}):
 * a call outside the key's scopes is a 403 problem, one over its rate a 429 with {@code Retry-After}.
 * Unknown keys are the endpoint's to refuse (401). The check is the {@link WriteKeyGate} bean, which
 * the ingestion endpoints call with the key they resolved — the Basic user name or {@code writeKey}
 * in the body — so that neither way of sending the key skips it (a servlet filter reading only the
 * Authorization header did, until session 6).
 */
@Configuration(proxyBeanMethods = false)
class WriteKeyLimits {

    @Bean
    WriteKeyGate writeKeyGate(Credentials credentials) {
        RateLimiter limiter = new RateLimiter();
        return (key, path) -> {
            Optional<Credentials.WriteKeyPolicy> found = credentials.writeKeyPolicy(key);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Credentials.WriteKeyPolicy policy = found.get();
            String scope = scopeOf(path);
            if (scope != null && !policy.scopes().contains(scope)) {
                throw new Forbidden("写入密钥无 '" + scope + "' 权限 / this write key's scopes " + policy.scopes()
                        + " do not include '" + scope + "'");
            }
            long wait = limiter.acquire("wk:" + policy.id(), policy.ratePerSecond(), System.nanoTime());
            if (wait > 0) {
                throw new RateLimited("写入过快 / this write key is limited to " + policy.ratePerSecond() + " requests a second",
                        wait);
            }
            return Optional.of(policy.tenant());
        };
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
}
