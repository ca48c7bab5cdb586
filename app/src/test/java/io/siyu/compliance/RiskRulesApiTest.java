package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.PersonId;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class RiskRulesApiTest extends ApiTest {

    @Autowired
    RiskRegister register;

    @Test
    void tooManyCancellationsInADayFreezeThePersonUntilAnOperatorClearsTheCase() {
        Brand brand = newBrand();
        HttpResponse<String> defined = put("/api/v1/compliance/risk/detectors/cancellations", brand,
                "{\"kind\":\"count\",\"event\":\"Order Cancelled\",\"threshold\":3,\"windowSeconds\":86400,\"action\":\"freeze\"}");
        assertThat(defined.statusCode()).isEqualTo(201);
        cancel(brand, "busy", 4);
        cancel(brand, "calm", 3);

        JsonNode cases = body(get("/api/v1/compliance/risk/cases?status=pending", brand)).get("items");
        assertThat(cases.size()).isEqualTo(1);
        JsonNode raised = cases.get(0);
        String busy = profile(brand, "user_id:busy").get("id").asString();
        assertThat(raised.get("person").asString()).isEqualTo(busy);
        assertThat(raised.get("frozen").asBoolean()).isTrue();
        assertThat(raised.get("evidence").asString()).contains("4 × Order Cancelled");
        assertThat(body(get("/api/v1/compliance/risk/frozen?identifier=user_id:busy", brand)).get("frozen").asBoolean()).isTrue();
        assertThat(body(get("/api/v1/compliance/risk/frozen?identifier=user_id:calm", brand)).get("frozen").asBoolean()).isFalse();

        HttpResponse<String> cleared = adminPost("/api/v1/compliance/risk/cases/" + raised.get("id").asLong() + "/clear", brand,
                "{\"note\":\"误报 / false alarm\"}");
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(body(cleared).get("status").asString()).isEqualTo("cleared");
        assertThat(register.frozen(brand.tenant().id(), PersonId.parse(busy))).isFalse();
        assertThat(adminPost("/api/v1/compliance/risk/cases/" + raised.get("id").asLong() + "/confirm", brand, "{}").body())
                .contains("\"rule\":\"open\"");
    }

    @Test
    void largeMoneyInAndOutWithinAnHourIsFlaggedOnce() {
        Brand brand = newBrand();
        put("/api/v1/compliance/risk/detectors/in-out", brand, "{\"kind\":\"in_out\",\"event\":\"Order Completed\","
                + "\"outEvent\":\"Order Refunded\",\"threshold\":1000000,\"windowSeconds\":3600,\"action\":\"flag\"}");
        Instant now = Instant.now();
        track(brand, "mover", "Order Completed", "o1", 12_000, now.minusSeconds(1800));
        track(brand, "mover", "Order Refunded", "o1", 11_000, now.minusSeconds(600));
        track(brand, "mover", "Order Refunded", "o1", 500, now.minusSeconds(300));
        track(brand, "slow", "Order Completed", "o2", 12_000, now.minusSeconds(7200));
        track(brand, "slow", "Order Refunded", "o2", 12_000, now);

        JsonNode cases = body(get("/api/v1/compliance/risk/cases", brand)).get("items");
        assertThat(cases.size()).isEqualTo(1);
        assertThat(cases.get(0).get("status").asString()).isEqualTo("flagged");
        assertThat(cases.get(0).get("frozen").asBoolean()).isFalse();
        assertThat(cases.get(0).get("evidence").asString()).startsWith("in 12000.00 / out 11000.00 CNY");
        assertThat(cases.get(0).get("person").asString()).isEqualTo(profile(brand, "user_id:mover").get("id").asString());
    }

    @Test
    void detectorsCanBeChangedAndRemovedWithoutRestart() {
        Brand brand = newBrand();
        put("/api/v1/compliance/risk/detectors/c", brand,
                "{\"kind\":\"count\",\"event\":\"Order Cancelled\",\"threshold\":5,\"windowSeconds\":86400,\"action\":\"review\"}");
        assertThat(put("/api/v1/compliance/risk/detectors/c", brand,
                "{\"kind\":\"count\",\"event\":\"Order Cancelled\",\"threshold\":1,\"windowSeconds\":86400,\"action\":\"review\"}")
                .statusCode()).isEqualTo(200);
        assertThat(body(get("/api/v1/compliance/risk/detectors/c", brand)).get("threshold").asInt()).isEqualTo(1);
        cancel(brand, "a", 2);
        assertThat(body(get("/api/v1/compliance/risk/cases", brand)).get("items").size()).isEqualTo(1);
        assertThat(delete("/api/v1/compliance/risk/detectors/c", brand).statusCode()).isEqualTo(204);
        cancel(brand, "b", 2);
        assertThat(body(get("/api/v1/compliance/risk/cases", brand)).get("items").size()).isEqualTo(1);
        assertThat(body(get("/api/v1/compliance/risk/detectors", brand)).size()).isZero();
        assertThat(delete("/api/v1/compliance/risk/detectors/c", brand).statusCode()).isEqualTo(404);
    }

    @Test
    void detectorInputIsValidated() {
        Brand brand = newBrand();
        HttpResponse<String> empty = put("/api/v1/compliance/risk/detectors/x", brand, "{}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"field\":\"kind\"", "\"field\":\"action\"", "\"field\":\"event\"",
                "\"field\":\"threshold\"", "\"field\":\"windowSeconds\"");
        assertThat(put("/api/v1/compliance/risk/detectors/x", brand, "{\"kind\":\"count\",\"event\":\"E\",\"threshold\":10001,"
                + "\"windowSeconds\":60,\"action\":\"flag\"}").body()).contains("\"field\":\"threshold\"");
        assertThat(put("/api/v1/compliance/risk/detectors/x", brand, "{\"kind\":\"in_out\",\"event\":\"E\",\"outEvent\":\"E\","
                + "\"threshold\":1,\"windowSeconds\":60,\"action\":\"flag\"}").body()).contains("\"rule\":\"distinct\"");
        assertThat(put("/api/v1/compliance/risk/detectors/x", brand, "{\"kind\":\"count\",\"event\":\"E\",\"threshold\":1,"
                + "\"windowSeconds\":99999999,\"action\":\"flag\"}").body()).contains("\"field\":\"windowSeconds\"");
        assertThat(put("/api/v1/compliance/risk/detectors/x", brand, "{\"kind\":\"count\",\"threshold\":\"many\"}").statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/compliance/risk/cases?status=odd", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/compliance/risk/cases/123456789", brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/compliance/risk/frozen?identifier=bad", brand).statusCode()).isEqualTo(400);
    }

    private void cancel(Brand brand, String user, int times) {
        for (int i = 0; i < times; i++) {
            track(brand, user, "Order Cancelled", user + "-" + i, 10, Instant.now().minusSeconds(60L * (times - i)));
        }
    }

    private void track(Brand brand, String user, String event, String order, int total, Instant at) {
        HttpResponse<String> response = post("/v1/track", brand.writeKey(), "{\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + at + "\",\"properties\":{\"order_id\":\"" + order + "\",\"total\":" + total + "}}");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> delete(String path, Brand brand) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).DELETE().build());
    }
}
