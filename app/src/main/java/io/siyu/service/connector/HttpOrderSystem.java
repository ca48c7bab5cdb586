package io.siyu.service.connector;

import io.siyu.platform.TenantId;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An order system reached over HTTP. The protocol (what a brand's OMS adapter implements):
 * <pre>
 * GET  {base}/orders/{number}          200 {"number","status","carrier","trackingNumber","estimatedDelivery"} | 404
 * POST {base}/orders/{number}/address  body {"address","phone"} (either may be absent)
 *                                       200 {"address","phone"} | 409 {"reason"} | 404
 * </pre>
 * Every request carries {@code X-Siyu-Tenant} and, when configured, {@code Authorization: Bearer}.
 */
public final class HttpOrderSystem implements OrderSystem {

    private static final Set<String> STATUSES = Set.of("pending", "paid", "shipped", "delivered", "cancelled", "refunded");

    private final HttpRemote remote;

    HttpOrderSystem(HttpRemote remote) {
        this.remote = remote;
    }

    /** Connects to {@code url}; throws {@link IllegalStateException} naming the setting when the URL is not absolute http(s). */
    public static HttpOrderSystem connect(String url, String token, java.time.Duration timeout, tools.jackson.databind.json.JsonMapper json) {
        return new HttpOrderSystem(ConnectorConfiguration.remote("siyu.service.oms.url", url, token, timeout, json));
    }

    @Override
    public Optional<Order> find(TenantId tenant, String orderNumber) {
        JsonNode body = remote.get(tenant, "orders/" + HttpRemote.segment(orderNumber));
        if (body == null) {
            return Optional.empty();
        }
        String status = body.path("status").asString("");
        if (!STATUSES.contains(status)) {
            throw new ConnectorUnavailable("order system answered an unknown status '" + status + "' for " + orderNumber);
        }
        return Optional.of(new Order(body.path("number").asString(orderNumber), status, text(body, "carrier"),
                text(body, "trackingNumber"), text(body, "estimatedDelivery")));
    }

    @Override
    public AddressChange changeAddress(TenantId tenant, String orderNumber, @Nullable String address, @Nullable String phone) {
        ObjectNode request = remote.object();
        if (address != null) {
            request.put("address", address);
        }
        if (phone != null) {
            request.put("phone", phone);
        }
        JsonNode body = remote.post(tenant, "orders/" + HttpRemote.segment(orderNumber) + "/address", request);
        if (body == null) {
            return new AddressChange.Refused("订单不存在 / no such order");
        }
        if (body.path("_conflict").asBoolean(false)) {
            return new AddressChange.Refused(body.path("reason").asString("订单状态不允许修改 / the order can no longer be changed"));
        }
        return new AddressChange.Changed(body.path("address").asString(address == null ? "" : address),
                body.path("phone").asString(phone == null ? "" : phone));
    }

    private static @Nullable String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() || value.asString("").isBlank() ? null : value.asString();
    }
}
