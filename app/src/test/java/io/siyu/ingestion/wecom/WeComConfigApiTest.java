package io.siyu.ingestion.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.ingestion.wecom.WeComFixtures.App;
import io.siyu.platform.Tenants;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The management API for a tenant's WeCom app, against the running server and embedded PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"siyu.data-dir=target/test-data/${random.uuid}", "siyu.admin-token=test-admin"})
class WeComConfigApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Tenants tenants;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    private String slug;

    @BeforeEach
    void createATenant() {
        slug = "config-" + WeComFixtures.alphanumeric(10).toLowerCase();
        tenants.create(slug, "Config test brand");
    }

    @Test
    void readsTheSettingsBackWithTokenAndKeyMasked() throws Exception {
        App app = App.random();
        assertThat(put(app.settingsJson()).statusCode()).isEqualTo(200);

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode view = json.readTree(response.body());
        assertThat(view.path("corpId").asString()).isEqualTo(app.corpId());
        assertThat(view.path("agentId").asString()).isEqualTo(app.agentId());
        assertThat(view.path("token").asString()).isEqualTo("****" + app.token().substring(20));
        assertThat(view.path("encodingAesKey").asString()).isEqualTo("****" + app.encodingAesKey().substring(39));
        assertThat(view.path("callbackPath").asString()).isEqualTo("/wecom/callback/" + slug);
        assertThat(response.body()).doesNotContain(app.token()).doesNotContain(app.encodingAesKey());
    }

    @Test
    void keepsTokenAndKeySealedInTheDatabase() throws Exception {
        App app = App.random();
        put(app.settingsJson());

        String stored = jdbc.sql("SELECT token || ' ' || encoding_aes_key FROM wecom_apps a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = ?")
                .param(slug).query(String.class).single();

        assertThat(stored).doesNotContain(app.token()).doesNotContain(app.encodingAesKey());
    }

    @Test
    void replacesTheSettingsOnTheSecondPut() throws Exception {
        put(App.random().settingsJson());
        App second = App.random();

        put(second.settingsJson());

        assertThat(json.readTree(get().body()).path("corpId").asString()).isEqualTo(second.corpId());
    }

    @Test
    void namesEveryBrokenRuleOfInvalidSettings() throws Exception {
        HttpResponse<String> response = put("""
                {"corpId": " ", "token": "no spaces allowed", "encodingAesKey": "tooShort==", "agentId": "abc"}""");

        assertThat(response.statusCode()).isEqualTo(400);
        List<String> violations = new ArrayList<>();
        json.readTree(response.body()).path("errors")
                .forEach(e -> violations.add(e.path("field").asString() + " " + e.path("rule").asString()));
        assertThat(violations).containsExactly("corpId required", "token pattern", "encodingAesKey pattern", "agentId pattern");
    }

    @Test
    void refusesAKeyOfTheRightLengthWithCharactersOutsideBase64() throws Exception {
        App app = App.random();
        String withDash = app.settingsJson().replace(app.encodingAesKey(), "-" + app.encodingAesKey().substring(1));

        HttpResponse<String> response = put(withDash);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("errors").path(0).path("field").asString()).isEqualTo("encodingAesKey");
    }

    @Test
    void answers404BeforeWeComIsConfigured() throws Exception {
        assertThat(get().statusCode()).isEqualTo(404);
    }

    @Test
    void needsTheBearerToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> put(String body) throws IOException, InterruptedException {
        return HTTP.send(authorised().header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        return HTTP.send(authorised().GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorised() {
        return HttpRequest.newBuilder(uri()).header("Authorization", "Bearer test-admin").header("X-Siyu-Tenant", slug);
    }

    private URI uri() {
        return URI.create("http://localhost:" + port + "/api/v1/wecom/config");
    }
}
