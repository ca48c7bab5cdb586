package io.siyu.service.wecom;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT/GET /api/v1/wecom/customer-service}: the brand's WeCom Customer Service secret (and,
 * rarely, another API base URL). Beside the WeCom app settings and, like them, for tenant admins;
 * the secret is never returned.
 */
@RestController
@RequestMapping("/api/v1/wecom/customer-service")
class KfController {

    record Definition(@Nullable String secret, @Nullable String apiBase) {}

    private final KfSettings settings;
    private final KfClient client;

    KfController(KfSettings settings, KfClient client) {
        this.settings = settings;
        this.client = client;
    }

    @PutMapping
    KfSettings.View put(TenantId tenant, @RequestBody Definition definition) {
        KfSettings.View view = settings.put(tenant, definition.secret(), definition.apiBase());
        client.forget(tenant);
        return view;
    }

    @GetMapping
    KfSettings.View get(TenantId tenant) {
        return settings.view(tenant).orElseThrow(() -> new NotFound("未配置微信客服 / WeCom Customer Service is not configured"));
    }
}
