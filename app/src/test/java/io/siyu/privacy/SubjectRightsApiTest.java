package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.engine.Event;
import io.siyu.engine.PostgresEventLog;
import io.siyu.platform.DataKeyStore;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.Role;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@ExtendWith(OutputCaptureExtension.class)
class SubjectRightsApiTest extends PrivacyApi {

    @Autowired
    private PostgresEventLog log;

    @Autowired
    private FieldCipher cipher;

    @Autowired
    private DataKeyStore keys;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void accessExportsProfileEventsConsentAndWhoReadThePerson(CapturedOutput output) {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), """
                {"userId":"dsr-1","traits":{"phone":"13812341234","email":"dsr@example.com","name":"赵六"}}""");
        post("/v1/track", brand.writeKey(), """
                {"userId":"dsr-1","event":"Order Completed","properties":{"order_id":"o-1","total":88}}""");
        String operator = token(brand, Role.OPERATOR);
        String id = body(call("GET", "/api/v1/profiles?identifier=user_id:dsr-1", operator, null)).path("id").asString();
        asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"marketing\",\"consent\":\"refused\"}");

        HttpResponse<String> response = asAdmin("GET", "/api/v1/privacy/people/" + id + "/export", brand, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        JsonNode export = body(response);
        assertThat(export.path("profile").path("traits").path("email").asString()).isEqualTo("dsr@example.com");
        assertThat(export.path("events").size()).isEqualTo(3); // identify, order, consent
        assertThat(export.path("events").get(0).path("personalFields").path("phone").asString()).isEqualTo("+8613812341234");
        assertThat(export.path("consent").path("current").path("marketing").asString()).isEqualTo("refused");
        assertThat(export.path("accessLog").toString()).contains("profile.read", "token:operator-");
        assertThat(call("GET", "/api/v1/privacy/people/" + id + "/export", operator, null).statusCode()).isEqualTo(403);

        assertThat(output.getAll()).as("personal data never reaches the log output")
                .doesNotContain("13812341234", "dsr@example.com", "赵六");
    }

    @Test
    void erasureShredsTheKeysAnonymisesTheLogAndLeavesOthersAndAggregatesAlone() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), """
                {"userId":"erase-me","anonymousId":"a-e","traits":{"phone":"+86 139 0000 5678","email":"gone@example.com","name":"钱七"}}""");
        post("/v1/track", brand.writeKey(), """
                {"userId":"erase-me","event":"Order Completed","properties":{"order_id":"o-9","total":100,"address":"北京市海淀区"}}""");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"stays\",\"traits\":{\"phone\":\"13700001111\"}}");
        post("/v1/track", brand.writeKey(), "{\"userId\":\"stays\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"o-8\",\"total\":50}}");
        String id = profile(brand, "user_id:erase-me").path("id").asString();
        String staysId = profile(brand, "user_id:stays").path("id").asString();
        String count = "{\"condition\":\"count(\\\"Order Completed\\\", 365d) >= 1\"}";
        long buyersBefore = body(adminPost("/api/v1/segments/count", brand, count)).path("count").asLong();
        byte[] backup = sealedPhone(brand, "erase-me"); // a copy of the ciphertext, as a database backup would keep it
        assertThat(cipher.open(brand.tenant().id(), backup)).isEqualTo("+8613900005678");

        HttpResponse<String> erased = asAdmin("POST", "/api/v1/privacy/people/" + id + "/erase", brand, null);
        assertThat(erased.statusCode()).isEqualTo(200);
        assertThat(body(erased).path("events").asInt()).isEqualTo(2);
        assertThat(body(erased).path("shreddedKeys").asInt()).as("phone and e-mail").isEqualTo(2);

        assertThatThrownBy(() -> cipher.open(brand.tenant().id(), backup)).isInstanceOf(FieldCipher.Shredded.class);
        assertThat(get("/api/v1/profiles/" + id, brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/profiles?identifier=user_id:erase-me", brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/profiles?identifier=anonymous_id:a-e", brand).statusCode()).isEqualTo(404);
        assertThat(asAdmin("GET", "/api/v1/consent/" + id, brand, null).statusCode()).isEqualTo(404);
        String logText = logOf(brand);
        assertThat(logText).doesNotContain("erase-me", "a-e\"", "gone@example.com", "钱七", "北京市海淀区", "o-9").contains("stays");

        assertThat(profile(brand, "user_id:stays").path("id").asString()).as("others keep their ids").isEqualTo(staysId);
        assertThat(cipher.open(brand.tenant().id(), sealedPhone(brand, "stays"))).isEqualTo("+8613700001111");
        assertThat(body(adminPost("/api/v1/segments/count", brand, count)).path("count").asLong())
                .as("aggregates keep the anonymous person").isEqualTo(buyersBefore);
        assertThat(asAdmin("POST", "/api/v1/privacy/people/" + id + "/erase", brand, null).statusCode())
                .as("erasing twice finds nobody").isEqualTo(404);
        JsonNode audit = body(asAdmin("GET", "/api/v1/audit?subject=" + id, brand, null)).path("entries");
        assertThat(audit.toString()).contains("subject.erased", "subject.erasure.started");
    }

    @Test
    void rotationRewrapsEveryDataKeyAndOldCiphertextsStillOpen() throws Exception {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"r-1\",\"traits\":{\"phone\":\"13600002222\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"r-2\",\"traits\":{\"phone\":\"13600003333\"}}");
        byte[] sealed = sealedPhone(brand, "r-1");
        JsonNode rotation = body(asAdmin("POST", "/api/v1/privacy/keys/rotate", brand, null));
        assertThat(rotation.path("fromVersion").asInt()).isEqualTo(1);
        assertThat(rotation.path("toVersion").asInt()).isEqualTo(2);
        assertThat(rotation.path("rewrapped").asInt()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM data_keys WHERE tenant_id = ? AND kek_version <> 2")
                .param(brand.tenant().id().value()).query(Integer.class).single()).isZero();
        // a fresh cipher, with nothing cached, unwraps under the new version
        byte[] master = Base64.getDecoder().decode(Files.readString(Path.of("target/test-data/api/master.key")).trim());
        assertThat(new FieldCipher(master, keys).open(brand.tenant().id(), sealed)).isEqualTo("+8613600002222");
        assertThat(body(asAdmin("POST", "/api/v1/privacy/keys/rotate", brand, null)).path("toVersion").asInt()).isEqualTo(3);
        assertThat(call("POST", "/api/v1/privacy/keys/rotate", token(brand, Role.OPERATOR), null).statusCode()).isEqualTo(403);
    }

    @Test
    void malformedPersonIdsAreRejected() {
        Brand brand = newBrand();
        assertThat(asAdmin("GET", "/api/v1/privacy/people/nope/export", brand, null).statusCode()).isEqualTo(400);
        assertThat(asAdmin("POST", "/api/v1/privacy/people/" + "9".repeat(5000) + "/erase", brand, null).statusCode()).isIn(400, 414);
        Brand other = newBrand();
        post("/v1/identify", other.writeKey(), "{\"userId\":\"theirs\"}");
        String theirs = profile(other, "user_id:theirs").path("id").asString();
        assertThat(asAdmin("POST", "/api/v1/privacy/people/" + theirs + "/erase", brand, null).statusCode())
                .as("another tenant's person is not found").isEqualTo(404);
        assertThat(get("/api/v1/profiles/" + theirs, other).statusCode()).isEqualTo(200);
    }

    private byte[] sealedPhone(Brand brand, String userId) {
        List<byte[]> found = new ArrayList<>();
        log.replay(0, brand.tenant().id().value(), event -> {
            if (event.identifiers().stream().anyMatch(i -> i.toString().equals("user_id:" + userId))) {
                event.sealed().stream().map(Event.Sealed::ciphertext).forEach(found::add);
            }
        });
        assertThat(found).isNotEmpty();
        return found.getFirst();
    }

    private String logOf(Brand brand) {
        StringBuilder text = new StringBuilder();
        log.replay(0, brand.tenant().id().value(), event -> text.append(event.identifiers()).append(event.traits().asMap())
                .append(event.orderId()).append(new String(event.properties(), StandardCharsets.UTF_8))
                .append(new String(event.context(), StandardCharsets.UTF_8)).append('\n'));
        return text.toString();
    }
}
