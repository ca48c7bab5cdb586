package io.siyu.service.connector;

import io.siyu.platform.TenantId;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Inventory reached over HTTP: {@code GET {base}/stock/{sku}} answers
 * {@code 200 {"sku","available","restockDate"}} or 404 for an unknown SKU.
 */
public final class HttpInventory implements Inventory {

    private final HttpRemote remote;

    HttpInventory(HttpRemote remote) {
        this.remote = remote;
    }

    /** Connects to {@code url}; throws {@link IllegalStateException} naming the setting when the URL is not absolute http(s). */
    public static HttpInventory connect(String url, String token, java.time.Duration timeout, tools.jackson.databind.json.JsonMapper json) {
        return new HttpInventory(ConnectorConfiguration.remote("siyu.service.inventory.url", url, token, timeout, json));
    }

    @Override
    public Optional<Stock> stock(TenantId tenant, String sku) {
        JsonNode body = remote.get(tenant, "stock/" + HttpRemote.segment(sku));
        if (body == null) {
            return Optional.empty();
        }
        if (!body.path("available").isNumber()) {
            throw new ConnectorUnavailable("inventory answered without a numeric 'available' for " + sku);
        }
        JsonNode restock = body.get("restockDate");
        return Optional.of(new Stock(sku, body.path("available").asInt(),
                restock == null || restock.isNull() ? null : restock.asString()));
    }
}
