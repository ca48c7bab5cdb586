package io.siyu.service.connector;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each brand's OMS and inventory endpoints (PUT /api/v1/service/connectors/{kind}), falling back to
 * the installation-wide {@code siyu.service.oms.url} / {@code siyu.service.inventory.url}. It is
 * itself the {@link OrderSystem} and {@link Inventory} the bot uses: every call is routed to the
 * tenant's endpoint, and a tenant with none gets {@link ConnectorUnavailable} (the bot hands off).
 */
@Component
public class TenantConnectors implements OrderSystem, Inventory {

    public record Endpoint(String kind, String url, boolean hasToken) {}

    private final JdbcClient jdbc;
    private final FieldCipher cipher;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, String> defaults;
    private final Map<TenantId, HttpOrderSystem> orderSystems = new ConcurrentHashMap<>();
    private final Map<TenantId, HttpInventory> inventories = new ConcurrentHashMap<>();

    TenantConnectors(JdbcClient jdbc, FieldCipher cipher, JsonMapper json, Clock clock,
            @Value("${siyu.service.connector-timeout:2s}") Duration timeout,
            @Value("${siyu.service.oms.url:}") String omsUrl, @Value("${siyu.service.oms.token:}") String omsToken,
            @Value("${siyu.service.inventory.url:}") String inventoryUrl, @Value("${siyu.service.inventory.token:}") String inventoryToken) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.timeout = timeout;
        this.defaults = Map.of("oms.url", omsUrl, "oms.token", omsToken, "inventory.url", inventoryUrl, "inventory.token", inventoryToken);
        for (String kind : new String[] {"oms", "inventory"}) {
            if (!defaults.get(kind + ".url").isBlank()) {
                ConnectorConfiguration.remote("siyu.service." + kind + ".url", defaults.get(kind + ".url"), "", timeout, json); // refuse to start when invalid
            }
        }
    }

    public Endpoint put(TenantId tenant, String kind, @Nullable String url, @Nullable String token) {
        if (!kind.equals("oms") && !kind.equals("inventory")) {
            throw new InvalidInput("kind", "one-of", "连接器须为 oms 或 inventory / kind must be oms or inventory");
        }
        if (url == null || url.isBlank() || url.length() > 500) {
            throw new InvalidInput("url", "required", "请提供 http(s) 地址 / url is required (http or https, ≤ 500 chars)");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("url", "url", "地址格式错误 / not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new InvalidInput("url", "url", "须为 http(s) 绝对地址 / must be an absolute http(s) URL");
        }
        if (token != null && token.length() > 2000) {
            throw new InvalidInput("token", "length", "token 过长 / token is longer than 2000 chars");
        }
        byte[] sealed = token == null || token.isBlank() ? null : cipher.seal(tenant, token);
        jdbc.sql("""
                INSERT INTO service_connectors (tenant_id, kind, url, token_sealed, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, kind) DO UPDATE SET url = excluded.url, token_sealed = excluded.token_sealed, updated_at = excluded.updated_at""")
                .params(tenant.value(), kind, uri.toString(), sealed, Timestamp.from(clock.instant())).update();
        (kind.equals("oms") ? orderSystems : inventories).remove(tenant);
        return new Endpoint(kind, uri.toString(), sealed != null);
    }

    public Optional<Endpoint> get(TenantId tenant, String kind) {
        return jdbc.sql("SELECT url, token_sealed IS NOT NULL AS has_token FROM service_connectors WHERE tenant_id = ? AND kind = ?")
                .params(tenant.value(), kind).query((rs, n) -> new Endpoint(kind, rs.getString("url"), rs.getBoolean("has_token"))).optional();
    }

    @Override
    public Optional<Order> find(TenantId tenant, String orderNumber) {
        return orderSystem(tenant).find(tenant, orderNumber);
    }

    @Override
    public AddressChange changeAddress(TenantId tenant, String orderNumber, @Nullable String address, @Nullable String phone) {
        return orderSystem(tenant).changeAddress(tenant, orderNumber, address, phone);
    }

    @Override
    public Optional<Stock> stock(TenantId tenant, String sku) {
        return inventory(tenant).stock(tenant, sku);
    }

    private HttpOrderSystem orderSystem(TenantId tenant) {
        return orderSystems.computeIfAbsent(tenant, t -> new HttpOrderSystem(remote(t, "oms")));
    }

    private HttpInventory inventory(TenantId tenant) {
        return inventories.computeIfAbsent(tenant, t -> new HttpInventory(remote(t, "inventory")));
    }

    private HttpRemote remote(TenantId tenant, String kind) {
        record Row(String url, byte @Nullable [] token) {}
        Optional<Row> row = jdbc.sql("SELECT url, token_sealed FROM service_connectors WHERE tenant_id = ? AND kind = ?")
                .params(tenant.value(), kind).query((rs, n) -> new Row(rs.getString("url"), rs.getBytes("token_sealed"))).optional();
        if (row.isPresent()) {
            byte[] token = row.get().token();
            return ConnectorConfiguration.remote(kind, row.get().url(), token == null ? "" : cipher.open(tenant, token), timeout, json);
        }
        String url = defaults.get(kind + ".url");
        if (url.isBlank()) {
            throw new ConnectorUnavailable("no " + kind + " endpoint configured for tenant " + tenant.value());
        }
        return ConnectorConfiguration.remote("siyu.service." + kind + ".url", url, defaults.get(kind + ".token"), timeout, json);
    }
}
