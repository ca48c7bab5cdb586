package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.platform.Role;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AccessApiTest extends PrivacyApi {

    @Test
    void operatorSeesPersonalFieldsMaskedWhileTheAdministratorTokenKeepsWorking() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), """
                {"userId":"u-m","traits":{"name":"王小明","phone":"13812341234","email":"wang.xm@example.com",
                 "address":"上海市浦东新区世纪大道100号"}}""");
        JsonNode admin = profile(brand, "user_id:u-m");
        assertThat(admin.path("traits").path("email").asString()).isEqualTo("wang.xm@example.com");
        String operator = token(brand, Role.OPERATOR);
        JsonNode masked = body(call("GET", "/api/v1/profiles?identifier=user_id:u-m", operator, null));
        assertThat(masked.path("traits").path("phone").asString()).isEqualTo("138****1234");
        assertThat(masked.path("traits").path("email").asString()).isEqualTo("w***@example.com");
        assertThat(masked.path("traits").path("name").asString()).isEqualTo("王**");
        assertThat(masked.path("traits").path("address").asString()).isEqualTo("上海市浦东新******");
        assertThat(masked.toString()).doesNotContain("wang.xm@", "世纪大道", "小明");
        assertThat(masked.path("stats").path("eventCount").asInt()).isEqualTo(1);
    }

    @Test
    void analystMayCountSegmentsButNotReadAProfile() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"u-a\"}");
        String analyst = token(brand, Role.ANALYST);
        String id = profile(brand, "user_id:u-a").path("id").asString();
        HttpResponse<String> read = call("GET", "/api/v1/profiles/" + id, analyst, null);
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(body(read).path("detail").asString()).contains("analyst", "may not call");
        assertThat(call("POST", "/api/v1/segments/count", analyst, "{\"condition\":\"count(\\\"Page Viewed\\\", 30d) >= 0\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aTenantTokenNeverReachesAnotherTenantWhateverHeaderItSends() {
        Brand mine = newBrand();
        Brand theirs = newBrand();
        post("/v1/identify", theirs.writeKey(), "{\"userId\":\"secret-person\"}");
        String theirId = profile(theirs, "user_id:secret-person").path("id").asString();
        String operator = token(mine, Role.OPERATOR);
        assertThat(call("GET", "/api/v1/profiles/" + theirId, operator, theirs.slug(), null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/profiles?identifier=user_id:secret-person", operator, theirs.slug(), null).statusCode())
                .isEqualTo(404);
        assertThat(call("GET", "/api/v1/tenants/" + theirs.tenant().id().value(), token(mine, Role.ADMIN), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void oauthClientCredentialsIssueAJwtThatActsWithTheClientsRole() {
        Brand brand = newBrand();
        JsonNode client = body(asAdmin("POST", "/api/v1/access/oauth-clients", brand, "{\"name\":\"bi\",\"role\":\"analyst\"}"));
        String id = client.path("clientId").asString();
        String secret = client.path("clientSecret").asString();

        HttpResponse<String> issued = form("/oauth/token", basicOf(id, secret), "grant_type=client_credentials");
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        String jwt = body(issued).path("access_token").asString();
        assertThat(body(issued).path("token_type").asString()).isEqualTo("Bearer");
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"role\":\"analyst\"", "\"sub\":\"client:" + id + "\"");

        assertThat(call("GET", "/api/v1/segments", jwt, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/profiles?identifier=user_id:x", jwt, null).statusCode()).isEqualTo(403);

        // form fields work as well as Basic
        assertThat(form("/oauth/token", null, "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret)
                .statusCode()).isEqualTo(200);
        // revoking the client ends its tokens at once
        assertThat(asAdmin("DELETE", "/api/v1/access/oauth-clients/" + id, brand, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/segments", jwt, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theTokenEndpointRefusesBadClientsGrantsAndForgedTokens() {
        Brand brand = newBrand();
        JsonNode client = body(asAdmin("POST", "/api/v1/access/oauth-clients", brand, "{\"name\":\"crm\",\"role\":\"admin\"}"));
        String id = client.path("clientId").asString();
        HttpResponse<String> wrong = form("/oauth/token", basicOf(id, "not-the-secret"), "grant_type=client_credentials");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(body(wrong).path("error").asString()).isEqualTo("invalid_client");
        HttpResponse<String> grant = form("/oauth/token", basicOf(id, "x"), "grant_type=password&username=a&password=b");
        assertThat(body(grant).path("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(form("/oauth/token", null, "").statusCode()).isEqualTo(400);

        String jwt = body(form("/oauth/token", basicOf(id, client.path("clientSecret").asString()), "grant_type=client_credentials"))
                .path("access_token").asString();
        String[] parts = jwt.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        assertThat(call("GET", "/api/v1/segments", none + "." + parts[1] + ".", null).statusCode()).isEqualTo(401);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String otherTenant = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"tid\":" + brand.tenant().id().value(), "\"tid\":" + (brand.tenant().id().value() + 1)).getBytes(StandardCharsets.UTF_8));
        assertThat(otherTenant).isNotEqualTo(parts[1]);
        assertThat(call("GET", "/api/v1/segments", parts[0] + "." + otherTenant + "." + parts[2], null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/segments", jwt, null).statusCode()).isEqualTo(200);
    }

    @Test
    void loginLocksTheAccountAfterFiveWrongPasswords() {
        Brand brand = newBrand();
        assertThat(asAdmin("POST", "/api/v1/access/members", brand,
                "{\"username\":\"li.lei\",\"password\":\"correct horse 1\",\"role\":\"operator\"}").statusCode()).isEqualTo(201);
        String wrong = "{\"tenant\":\"" + brand.slug() + "\",\"username\":\"li.lei\",\"password\":\"guess\"}";
        for (int i = 1; i < Members.MAX_FAILURES; i++) {
            assertThat(anonymousPost("/auth/login", wrong).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = anonymousPost("/auth/login", wrong);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(800L, 901L);
        HttpResponse<String> right = anonymousPost("/auth/login",
                "{\"tenant\":\"" + brand.slug() + "\",\"username\":\"li.lei\",\"password\":\"correct horse 1\"}");
        assertThat(right.statusCode()).as("even the right password waits out the lock").isEqualTo(429);
    }

    @Test
    void aMemberSignsInAndMakesAPersonalAccessTokenWithTheirRole() {
        Brand brand = newBrand();
        asAdmin("POST", "/api/v1/access/members", brand, "{\"username\":\"han.mei\",\"password\":\"long password 2\",\"role\":\"agent\"}");
        HttpResponse<String> login = anonymousPost("/auth/login",
                "{\"tenant\":\"" + brand.slug() + "\",\"username\":\"han.mei\",\"password\":\"long password 2\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(body(login).path("role").asString()).isEqualTo("agent");
        String jwt = body(login).path("access_token").asString();
        HttpResponse<String> pat = call("POST", "/api/v1/access/personal-tokens", jwt, "{\"name\":\"laptop\",\"days\":30}");
        assertThat(pat.statusCode()).isEqualTo(201);
        String token = body(pat).path("token").asString();
        assertThat(token).startsWith("sypat_");
        assertThat(call("GET", "/api/v1/events/dictionary", token, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/segments", token, null).statusCode()).as("agents do not read segments").isEqualTo(403);
        assertThat(call("POST", "/api/v1/access/personal-tokens", ADMIN, brand.slug(), "{\"name\":\"x\"}").statusCode())
                .as("the administrator token is no member").isEqualTo(403);
        assertThat(call("POST", "/api/v1/access/personal-tokens", jwt, "{\"name\":\"x\",\"days\":9999}").statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/segments", "sypat_forged", null).statusCode()).isEqualTo(401);
    }

    @Test
    void membersAreValidatedAndUnique() {
        Brand brand = newBrand();
        HttpResponse<String> badRole = asAdmin("POST", "/api/v1/access/members", brand,
                "{\"username\":\"x1\",\"password\":\"long enough pw\",\"role\":\"root\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(body(badRole).path("errors").get(0).path("field").asString()).isEqualTo("role");
        assertThat(asAdmin("POST", "/api/v1/access/members", brand, "{\"username\":\"x1\",\"password\":\"short\",\"role\":\"agent\"}")
                .statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/api/v1/access/members", brand, "{\"username\":\"<script>\",\"password\":\"long enough pw\",\"role\":\"agent\"}")
                .statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/api/v1/access/members", brand, "{\"username\":\"x1\",\"password\":\"long enough pw\",\"role\":\"agent\"}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> duplicate = asAdmin("POST", "/api/v1/access/members", brand,
                "{\"username\":\"x1\",\"password\":\"long enough pw\",\"role\":\"agent\"}");
        assertThat(body(duplicate).path("errors").get(0).path("rule").asString()).isEqualTo("unique");
        assertThat(asAdmin("POST", "/api/v1/access/members", brand, "{not json").statusCode()).isEqualTo(400);
        assertThat(anonymousPost("/auth/login", "{\"tenant\":\"" + brand.slug() + "\",\"username\":\"x1\",\"password\":\""
                + "p".repeat(10_000) + "\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void writeKeyScopesAndRateAreEnforcedBeforeTheBodyIsRead() {
        Brand brand = newBrand();
        int keyId = credentials.writeKeys(brand.tenant().id()).getFirst().id();
        assertThat(asAdmin("PUT", "/api/v1/access/write-keys/" + keyId, brand, "{\"scopes\":[\"track\"],\"ratePerSecond\":1}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> identify = post("/v1/identify", brand.writeKey(), "{\"userId\":\"u\"}");
        assertThat(identify.statusCode()).isEqualTo(403);
        assertThat(identify.body()).contains("identify");
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 4; i++) {
            last = post("/v1/track", brand.writeKey(), "{\"userId\":\"u\",\"event\":\"Custom\"}");
            if (last.statusCode() == 200) {
                ok++;
            }
        }
        assertThat(ok).as("a burst of twice the rate").isBetween(2, 3);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(asAdmin("PUT", "/api/v1/access/write-keys/" + keyId, brand, "{\"scopes\":[\"everything\"]}").statusCode())
                .isEqualTo(400);
        assertThat(asAdmin("PUT", "/api/v1/access/write-keys/999999", brand, "{\"scopes\":[\"track\"]}").statusCode())
                .isEqualTo(404);
    }

    private HttpResponse<String> anonymousPost(String path, String json) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
