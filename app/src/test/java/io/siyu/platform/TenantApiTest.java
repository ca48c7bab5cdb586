package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TenantApiTest extends ApiTest {

    private HttpResponse<String> call(String method, String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    @Test
    void administratorCreatesATenantIssuesAWriteKeyAndTheKeyIngests() {
        String slug = "brand-" + UUID.randomUUID().toString().substring(0, 8);
        var created = call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"" + slug + "\",\"name\":\"花西子\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        int id = body(created).path("id").asInt();
        var key = call("POST", "/api/v1/tenants/" + id + "/write-keys", ADMIN, "{\"name\":\"小程序\"}");
        assertThat(key.statusCode()).isEqualTo(201);
        String secret = body(key).path("secret").asString();
        assertThat(post("/v1/track", secret, "{\"userId\":\"u\",\"event\":\"Signed Up\"}").statusCode()).isEqualTo(200);
        JsonNode listed = body(call("GET", "/api/v1/tenants/" + id + "/write-keys", ADMIN, null));
        assertThat(listed.toString()).contains("小程序").doesNotContain(secret);
        var renamed = call("PATCH", "/api/v1/tenants/" + id, ADMIN, "{\"name\":\"花西子 Florasis\"}");
        assertThat(body(renamed).path("name").asString()).isEqualTo("花西子 Florasis");
        int keyId = body(key).path("id").asInt();
        assertThat(call("DELETE", "/api/v1/tenants/" + id + "/write-keys/" + keyId, ADMIN, null).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/tenants/" + id + "/write-keys/" + keyId, ADMIN, null).statusCode()).isEqualTo(404);
        assertThat(post("/v1/track", secret, "{\"userId\":\"u\",\"event\":\"Signed Up\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void rejectsMalformedAndDuplicateTenants() {
        var badSlug = call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"Not OK!\",\"name\":\"x\"}");
        assertThat(badSlug.statusCode()).isEqualTo(400);
        assertThat(body(badSlug).path("errors").get(0).path("field").asString()).isEqualTo("slug");
        assertThat(body(badSlug).path("errors").get(0).path("rule").asString()).isEqualTo("pattern");
        var noName = call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"ok-slug-" + UUID.randomUUID().toString().substring(0, 6) + "\"}");
        assertThat(body(noName).path("errors").get(0).path("field").asString()).isEqualTo("name");
        String slug = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"" + slug + "\",\"name\":\"a\"}").statusCode()).isEqualTo(201);
        var duplicate = call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"" + slug + "\",\"name\":\"b\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(body(duplicate).path("errors").get(0).path("rule").asString()).isEqualTo("unique");
        var notJson = call("POST", "/api/v1/tenants", ADMIN, "{slug:");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(body(notJson).path("errors").get(0).path("field").asString()).isEqualTo("body");
        var hostile = call("POST", "/api/v1/tenants", ADMIN, "{\"slug\":\"x'; DROP TABLE tenants;--\",\"name\":\"" + "名".repeat(500) + "\"}");
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/tenants/abc", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/tenants/999999", ADMIN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void tenantTokensAreConfinedToTheirTenantAndCannotCreateTenants() {
        Brand a = newBrand();
        Brand b = newBrand();
        String tokenA = credentials.issueApiToken(a.tenant().id(), "ops").secret();
        assertThat(call("POST", "/api/v1/tenants", tokenA, "{\"slug\":\"sneaky\",\"name\":\"x\"}").statusCode()).isEqualTo(403);
        JsonNode visible = body(call("GET", "/api/v1/tenants", tokenA, null));
        assertThat(visible.size()).isEqualTo(1);
        assertThat(visible.get(0).path("slug").asString()).isEqualTo(a.slug());
        assertThat(call("GET", "/api/v1/tenants/" + b.tenant().id().value(), tokenA, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/tenants/" + b.tenant().id().value() + "/write-keys", tokenA, "{\"name\":\"x\"}")
                .statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/tenants/" + a.tenant().id().value() + "/write-keys", tokenA, "{\"name\":\"own\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call("GET", "/api/v1/tenants", "sy_wrong", null).statusCode()).isEqualTo(401);
    }
}
