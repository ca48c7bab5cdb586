package io.siyu.support;

import io.siyu.platform.Credentials;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base for end-to-end API tests: the real application on a random port over a real embedded
 * PostgreSQL in a fresh data directory (one per test JVM, shared by all classes through Spring's
 * context cache). Each test makes its own tenant, so tests never see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "siyu.admin-token=" + ApiTest.ADMIN,
        "siyu.data-dir=target/test-data/api",
        "siyu.engine.snapshot-every=1000"})
public abstract class ApiTest {

    public static final String ADMIN = "test-admin-token";

    protected static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @Autowired
    protected Tenants tenants;

    @Autowired
    protected Credentials credentials;

    @Autowired
    protected JsonMapper json;

    static {
        TestData.wipe("target/test-data/api");
    }

    /** A fresh tenant and a write key for it. */
    protected record Brand(Tenant tenant, String writeKey) {
        public String slug() {
            return tenant.slug();
        }
    }

    protected Brand newBrand() {
        Tenant tenant = tenants.create("t-" + UUID.randomUUID().toString().substring(0, 12), "测试品牌");
        return new Brand(tenant, credentials.issueWriteKey(tenant.id(), "test").secret());
    }

    /** The tenant with this slug (created on first use) and a new write key for it. */
    protected Brand brand(String slug) {
        Tenant tenant = tenants.findBySlug(slug).orElseGet(() -> tenants.create(slug, "测试品牌"));
        return new Brand(tenant, credentials.issueWriteKey(tenant.id(), "test").secret());
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected HttpResponse<String> post(String path, String writeKey, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(writeKey))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    protected HttpResponse<String> get(String path, Brand brand) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).GET().build());
    }

    protected HttpResponse<String> adminPost(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .header("X-Siyu-Tenant", brand.slug()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    protected JsonNode profile(Brand brand, String identifier) {
        HttpResponse<String> response = get("/api/v1/profiles?identifier=" + identifier, brand);
        if (response.statusCode() != 200) {
            throw new AssertionError("profile " + identifier + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    protected JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    protected static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    protected static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + request.uri() + " failed", e);
        }
    }
}
