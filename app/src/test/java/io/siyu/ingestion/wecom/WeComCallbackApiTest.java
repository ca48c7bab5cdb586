package io.siyu.ingestion.wecom;

import static io.siyu.ingestion.wecom.WeComFixtures.contactAdded;
import static io.siyu.ingestion.wecom.WeComFixtures.contactChange;
import static io.siyu.ingestion.wecom.WeComFixtures.groupChange;
import static io.siyu.ingestion.wecom.WeComFixtures.textMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.ingestion.wecom.WeComFixtures.App;
import io.siyu.ingestion.wecom.WeComFixtures.Callback;
import io.siyu.platform.Tenants;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** WeCom callbacks end to end: real encryption, the running server, embedded PostgreSQL, the engine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"siyu.data-dir=target/test-data/${random.uuid}", "siyu.admin-token=test-admin"})
class WeComCallbackApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Tenants tenants;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    private String slug;
    private App app;
    private long now;

    @BeforeEach
    void configureATenantsWeComApp() throws Exception {
        slug = "wecom-" + WeComFixtures.alphanumeric(10).toLowerCase();
        tenants.create(slug, "WeCom test brand");
        app = App.random();
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/api/v1/wecom/config"))
                .header("Authorization", "Bearer test-admin").header("X-Siyu-Tenant", slug)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(app.settingsJson())));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        now = Instant.now().getEpochSecond();
    }

    @Test
    void answersUrlVerificationWithTheDecryptedEchostr() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri("/wecom/callback/" + slug + "?" + app.verificationQuery("5927782489442352469", now))).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).isEqualTo("5927782489442352469");
    }

    @Test
    void attributesContactToTheContactWayState() throws Exception {
        String customer = "wmCustomer" + WeComFixtures.alphanumeric(8);

        HttpResponse<String> response = post(app.callback(contactAdded(app, customer, "zhangsan", "live-2026-double11", now), now));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("success");
        JsonNode profile = awaitProfile(customer, p -> count(p, "WeCom Contact Added") == 1);
        assertThat(profile.path("stats").path("sourceOfOrigin").asString()).isEqualTo("live-2026-double11");
        assertThat(profile.path("stats").path("channelOfOrigin").asString()).isEqualTo("wecom");
        assertThat(profile.path("identities").toString()).contains("wecom_external_userid:" + customer);
    }

    @Test
    void recordsEditsAndRemovalsBySideOfTheContact() throws Exception {
        String customer = "wmCustomer" + WeComFixtures.alphanumeric(8);
        post(app.callback(contactAdded(app, customer, "zhangsan", "store-qr", now), now));
        post(app.callback(contactChange(app, "edit_external_contact", customer, "zhangsan", now + 1, ""), now));
        post(app.callback(contactChange(app, "del_external_contact", customer, "zhangsan", now + 2, ""), now));
        post(app.callback(contactChange(app, "del_follow_user", customer, "lisi", now + 3, ""), now));

        JsonNode profile = awaitProfile(customer, p -> p.path("stats").path("eventCount").asLong() == 4);

        assertThat(count(profile, "WeCom Contact Added")).isEqualTo(1);
        assertThat(count(profile, "WeCom Contact Updated")).isEqualTo(1);
        assertThat(count(profile, "WeCom Contact Removed")).isEqualTo(2);
    }

    @Test
    void appliesARetriedCallbackOnce() throws Exception {
        String customer = "wmCustomer" + WeComFixtures.alphanumeric(8);
        String added = contactAdded(app, customer, "zhangsan", "store-qr", now);

        for (int attempt = 0; attempt < 4; attempt++) { // WeCom's first try and its three retries, each re-encrypted
            assertThat(post(app.callback(added, now + attempt)).statusCode()).isEqualTo(200);
        }
        post(app.callback(contactChange(app, "edit_external_contact", customer, "zhangsan", now + 5, ""), now));

        JsonNode profile = awaitProfile(customer, p -> count(p, "WeCom Contact Updated") == 1);
        assertThat(count(profile, "WeCom Contact Added")).isEqualTo(1);
        assertThat(profile.path("stats").path("eventCount").asLong()).isEqualTo(2);
    }

    @Test
    void emitsOneGroupEventPerExternalMember() throws Exception {
        String wechatCustomer = "wmGroup" + WeComFixtures.alphanumeric(8);
        String wecomCustomer = "woGroup" + WeComFixtures.alphanumeric(8);
        String chat = "wrChat" + WeComFixtures.alphanumeric(8);

        post(app.callback(groupChange(app, "add_member", chat, now, wechatCustomer, "zhangsan", wecomCustomer), now));
        post(app.callback(groupChange(app, "del_member", chat, now + 60, wecomCustomer), now));

        awaitProfile(wechatCustomer, p -> count(p, "Group Joined") == 1);
        JsonNode left = awaitProfile(wecomCustomer, p -> count(p, "Group Left") == 1);
        assertThat(count(left, "Group Joined")).isEqualTo(1);
        assertThat(profileStatus("zhangsan")).as("staff get no customer profile").isEqualTo(404);
    }

    @Test
    void answersSuccessToPlainMessagesAndCountsThemIgnored() throws Exception {
        double before = counter("text", "ignored");

        HttpResponse<String> response = post(app.callback(textMessage(app, "wmAsker", now), now));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("success");
        assertThat(counter("text", "ignored")).isEqualTo(before + 1);
    }

    @Test
    void countsUnknownChangeTypesIgnored() throws Exception {
        double before = counter("transfer_fail", "ignored");

        HttpResponse<String> response = post(app.callback(
                contactChange(app, "transfer_fail", "wmSomeone", "zhangsan", now, "<FailReason>customer_refused</FailReason>"), now));

        assertThat(response.body()).isEqualTo("success");
        assertThat(counter("transfer_fail", "ignored")).isEqualTo(before + 1);
    }

    @Test
    void refusesABadSignatureWith401() throws Exception {
        String customer = "wmForged" + WeComFixtures.alphanumeric(8);
        Callback genuine = app.callback(contactAdded(app, customer, "zhangsan", "forged", now), now);
        String forged = genuine.query().replaceFirst("msg_signature=[0-9a-f]{40}", "msg_signature=" + "0".repeat(40));

        HttpResponse<String> response = post(new Callback(forged, genuine.body()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(profileStatus(customer)).isEqualTo(404);
    }

    @Test
    void refusesAnXxeDoctypeInTheBody() throws Exception {
        String hostile = """
                <?xml version="1.0"?><!DOCTYPE xml [<!ENTITY leak SYSTEM "file:///etc/passwd">]>\
                <xml><ToUserName>&leak;</ToUserName><Encrypt>&leak;</Encrypt></xml>""";

        HttpResponse<String> response = post(new Callback(app.signedQuery("&leak;", now), hostile));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violation(response)).isEqualTo("body doctype");
        assertThat(response.body()).doesNotContain("root:");
    }

    @Test
    void refusesADoctypeInsideTheEncryptedMessage() throws Exception {
        String hostile = """
                <!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\
                <xml><MsgType>event</MsgType><Event>&b;</Event></xml>""";

        HttpResponse<String> response = post(app.callback(hostile, now));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violation(response)).isEqualTo("Encrypt doctype");
    }

    @Test
    void refusesMalformedXmlNamingTheBody() throws Exception {
        HttpResponse<String> response = post(new Callback(app.signedQuery("x", now), "<xml><Encrypt>abc</Encr"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violation(response)).isEqualTo("body xml");
    }

    @Test
    void refusesAPayloadEncryptedWithAnotherKeyNamingEncrypt() throws Exception {
        App sameTokenOtherKey = new App(app.corpId(), app.token(), App.random().encodingAesKey(), app.agentId());

        HttpResponse<String> response = post(sameTokenOtherKey.callback(contactAdded(app, "wmX", "zhangsan", "s", now), now));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(violation(response)).isEqualTo("Encrypt decrypt");
    }

    @Test
    void refusesBodiesOver64KbWith413() throws Exception {
        String padding = "<!--" + "x".repeat(WeComCallbackController.MAX_BODY_BYTES) + "-->";
        Callback callback = app.callback(contactAdded(app, "wmBig", "zhangsan", "s", now), now);

        HttpResponse<String> response = post(new Callback(callback.query(), callback.body() + padding));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(violation(response)).isEqualTo("body max-size");
    }

    @Test
    void answers404ForAnUnknownTenantOrOneWithoutWeCom() throws Exception {
        Callback callback = app.callback(contactAdded(app, "wmNobody", "zhangsan", "s", now), now);
        String unconfigured = "plain-" + WeComFixtures.alphanumeric(8).toLowerCase();
        tenants.create(unconfigured, "No WeCom here");

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/wecom/callback/no-such-brand?" + callback.query()))
                .POST(HttpRequest.BodyPublishers.ofString(callback.body())));
        HttpResponse<String> withoutApp = send(HttpRequest.newBuilder(uri("/wecom/callback/" + unconfigured + "?" + callback.query()))
                .POST(HttpRequest.BodyPublishers.ofString(callback.body())));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(withoutApp.statusCode()).isEqualTo(404);
        assertThat(withoutApp.body()).isEqualTo(unknown.body().replace("no-such-brand", unconfigured));
    }

    private HttpResponse<String> post(Callback callback) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/wecom/callback/" + slug + "?" + callback.query()))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(callback.body())));
    }

    private JsonNode awaitProfile(String externalUserId, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send(profileRequest(externalUserId));
            if (response.statusCode() == 200) {
                last = json.readTree(response.body());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50); // the engine applies asynchronously after the log write is acknowledged
        }
        throw new AssertionError("profile of " + externalUserId + " never matched; last seen: " + last);
    }

    private int profileStatus(String externalUserId) throws Exception {
        return send(profileRequest(externalUserId)).statusCode();
    }

    private HttpRequest.Builder profileRequest(String externalUserId) {
        String identifier = URLEncoder.encode("wecom_external_userid:" + externalUserId, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(uri("/api/v1/profiles?identifier=" + identifier))
                .header("Authorization", "Bearer test-admin").header("X-Siyu-Tenant", slug).GET();
    }

    private static int count(JsonNode profile, String event) {
        return profile.path("stats").path("eventCounts").path(event).asInt(0);
    }

    private String violation(HttpResponse<String> response) {
        JsonNode error = json.readTree(response.body()).path("errors").path(0);
        return error.path("field").asString() + " " + error.path("rule").asString();
    }

    private double counter(String type, String outcome) {
        Counter counter = meters.find("siyu.wecom.callbacks").tags("type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
