package io.siyu.service.connector;

import io.siyu.platform.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to one remote base URL, with the tenant in {@code X-Siyu-Tenant}, an optional
 * bearer token, and a hard timeout so a slow OMS never holds a chat reply. Answers the parsed body
 * for 2xx, null for 404, and throws {@link ConnectorUnavailable} for anything else. No retries
 * here: the bot answers within seconds or offers a human.
 */
final class HttpRemote {

    private final String name;
    private final URI base;
    private final @Nullable String token;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json;

    HttpRemote(String name, URI base, @Nullable String token, Duration timeout, JsonMapper json) {
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new IllegalArgumentException(name + " url must be an absolute http(s) URL, got '" + base + "'");
        }
        this.name = name;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    tools.jackson.databind.node.ObjectNode object() {
        return json.createObjectNode();
    }

    @Nullable JsonNode get(TenantId tenant, String path) {
        return exchange(tenant, request(path).GET());
    }

    @Nullable JsonNode post(TenantId tenant, String path, JsonNode body) {
        return exchange(tenant, request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private @Nullable JsonNode exchange(TenantId tenant, HttpRequest.Builder builder) {
        HttpRequest request = builder.header("X-Siyu-Tenant", Integer.toString(tenant.value())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectorUnavailable(name + " did not answer " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorUnavailable(name + " call interrupted", e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return null;
        }
        if (status / 100 != 2 && status != 409) {
            throw new ConnectorUnavailable(name + " answered " + status + " for " + request.uri());
        }
        try {
            JsonNode body = json.readTree(response.body());
            body = body == null ? json.createObjectNode() : body;
            if (status == 409 && body.isObject()) {
                ((tools.jackson.databind.node.ObjectNode) body).put("_conflict", true);
            }
            return body;
        } catch (RuntimeException e) {
            throw new ConnectorUnavailable(name + " answered something that is not JSON for " + request.uri(), e);
        }
    }
}
