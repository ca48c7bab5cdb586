package io.siyu.ingestion.wecom;

import io.siyu.platform.NotFound;
import io.siyu.platform.Tenants;
import io.siyu.platform.TenantId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's WeCom app settings. They are written whole and read back masked: the token and key
 * stay with WeCom's admin console and Siyu, never in an API response.
 */
@RestController
@RequestMapping("/api/v1/wecom/config")
class WeComConfigController {

    /** The settings from the app's "receive messages" (接收消息) page. */
    record Settings(@Nullable String corpId, @Nullable String token, @Nullable String encodingAesKey,
            @Nullable String agentId) {}

    /**
     * The settings as read back.
     *
     * @param token masked, e.g. {@code ****} or {@code ****x9Qz}
     * @param encodingAesKey masked like the token
     * @param callbackPath the path to enter as the app's callback URL, after this server's public origin
     */
    record View(String corpId, String token, String encodingAesKey, @Nullable String agentId, String callbackPath,
            Instant updatedAt) {}

    private final WeComApps apps;
    private final Tenants tenants;

    WeComConfigController(WeComApps apps, Tenants tenants) {
        this.apps = apps;
        this.tenants = tenants;
    }

    @PutMapping
    View configure(TenantId tenant, @RequestBody Settings settings) {
        WeComApp app = WeComApp.validated(settings.corpId(), settings.token(), settings.encodingAesKey(),
                settings.agentId());
        return view(apps.save(tenant, app));
    }

    @GetMapping
    View current(TenantId tenant) {
        return view(apps.find(tenant).orElseThrow(() -> new NotFound("WeCom is not configured for this tenant")));
    }

    private View view(WeComApps.Registration registration) {
        String slug = tenants.find(registration.tenant()).orElseThrow(
                () -> new NotFound("tenant " + registration.tenant().value() + " does not exist")).slug();
        WeComApp app = registration.app();
        return new View(app.corpId(), mask(app.token()), mask(app.encodingAesKey()), app.agentId(),
                "/wecom/callback/" + slug, registration.updatedAt());
    }

    /** Shows the last four characters, to tell keys apart, only where that leaves most of the secret hidden. */
    static String mask(String secret) {
        return secret.length() >= 16 ? "****" + secret.substring(secret.length() - 4) : "****";
    }
}
