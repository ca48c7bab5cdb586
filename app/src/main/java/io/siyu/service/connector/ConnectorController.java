package io.siyu.service.connector;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code PUT/GET /api/v1/service/connectors/{oms|inventory}}: where a brand's order system and inventory live. The token is never returned. */
@RestController
@RequestMapping("/api/v1/service/connectors")
class ConnectorController {

    record Definition(@Nullable String url, @Nullable String token) {}

    private final TenantConnectors connectors;

    ConnectorController(TenantConnectors connectors) {
        this.connectors = connectors;
    }

    @PutMapping("/{kind}")
    TenantConnectors.Endpoint put(TenantId tenant, @PathVariable String kind, @RequestBody Definition definition) {
        return connectors.put(tenant, kind, definition.url(), definition.token());
    }

    @GetMapping("/{kind}")
    TenantConnectors.Endpoint get(TenantId tenant, @PathVariable String kind) {
        return connectors.get(tenant, kind).orElseThrow(() -> new NotFound("未配置连接器 / no " + kind + " connector configured"));
    }
}
