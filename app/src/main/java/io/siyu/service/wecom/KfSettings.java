package io.siyu.service.wecom;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.TenantId;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each brand's WeCom Customer Service secret (微信客服 → API → Secret), sealed with the tenant's key,
 * and the API base URL ({@code siyu.service.wecom.api-base}, WeCom's own by default; a brand may
 * point it at a proxy). The corp id comes from the brand's WeCom app, which signs the callbacks.
 */
@Repository
class KfSettings {

    /** What the API shows: never the secret. */
    record View(String apiBase, boolean hasSecret, Instant updatedAt) {}

    record Settings(String secret, String apiBase) {}

    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private final JdbcClient jdbc;
    private final FieldCipher cipher;
    private final Clock clock;
    private final String defaultApiBase;

    KfSettings(JdbcClient jdbc, FieldCipher cipher, Clock clock,
            @Value("${siyu.service.wecom.api-base:https://qyapi.weixin.qq.com}") String defaultApiBase) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
        List<Violation> invalid = new ArrayList<>();
        this.defaultApiBase = apiBase(defaultApiBase, invalid);
        if (!invalid.isEmpty()) {
            throw new IllegalStateException("siyu.service.wecom.api-base must be an absolute http(s) URL, got '" + defaultApiBase + "'");
        }
    }

    View put(TenantId tenant, @Nullable String secret, @Nullable String apiBase) {
        List<Violation> violations = new ArrayList<>();
        if (secret == null || !SECRET.matcher(secret).matches()) {
            violations.add(new Violation("secret", "pattern",
                    "secret 须为微信客服的 Secret（8–128 个字母、数字、- 或 _）/ secret must be the kf Secret: 8–128 letters, digits, '-' or '_'"));
        }
        String base = apiBase == null || apiBase.isBlank() ? defaultApiBase : apiBase(apiBase.strip(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO service_wecom_kf_settings (tenant_id, secret_sealed, api_base, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, api_base = excluded.api_base,
                    updated_at = excluded.updated_at""")
                .params(tenant.value(), cipher.seal(tenant, secret), base, Timestamp.from(now)).update();
        return new View(base, true, now);
    }

    Optional<View> view(TenantId tenant) {
        return jdbc.sql("SELECT api_base, updated_at FROM service_wecom_kf_settings WHERE tenant_id = ?").param(tenant.value())
                .query((rs, n) -> new View(rs.getString("api_base"), true, rs.getTimestamp("updated_at").toInstant())).optional();
    }

    Optional<Settings> open(TenantId tenant) {
        return jdbc.sql("SELECT secret_sealed, api_base FROM service_wecom_kf_settings WHERE tenant_id = ?").param(tenant.value())
                .query((rs, n) -> new Settings(cipher.open(tenant, rs.getBytes("secret_sealed")), rs.getString("api_base"))).optional();
    }

    private static String apiBase(String value, List<Violation> violations) {
        URI uri = null;
        try {
            uri = value.length() <= 300 ? URI.create(value) : null;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            violations.add(new Violation("apiBase", "url",
                    "apiBase 须为 http(s) 绝对地址，不含查询参数，最长 300 / apiBase must be an absolute http(s) URL without a query, ≤ 300 chars"));
            return value;
        }
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
