package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Through the message API and the send policy: a message offering a financial product rated above
 * the person's risk assessment is suppressed with the reason recorded, and a person frozen by a
 * risk rule is sent no marketing (service notices still go).
 */
class SuitableSendsApiTest extends ApiTest {

    @Test
    void aProductAboveThePersonsAssessmentIsSuppressedWithItsReasonAndASuitableOneGoes() {
        Brand brand = newBrand();
        put("/api/v1/compliance/products/fund-r4", brand, "{\"riskLevel\":\"R4\",\"name\":\"股票基金\"}");
        put("/api/v1/compliance/products/fund-r2", brand, "{\"riskLevel\":\"R2\",\"name\":\"稳健理财\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"cautious\",\"traits\":{\"risk_assessment\":\"C2\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"bold\",\"traits\":{\"risk_assessment\":\"C5\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"unassessed\"}");
        // a service template, so quiet hours never defer the sends that are allowed
        assertThat(put("/api/v1/message-templates/offer", brand,
                "{\"channel\":\"inapp\",\"subject\":\"产品\",\"body\":\"您关注的产品已开放\",\"marketing\":false}").statusCode()).isEqualTo(200);

        JsonNode higher = send(brand, "cautious", "fund-r4");
        assertThat(higher.path("outcome").asString()).isEqualTo("suppressed");
        assertThat(higher.path("reason").asString()).isEqualTo("risk:above-assessment:R4>R2");
        assertThat(send(brand, "cautious", "fund-r2").path("outcome").asString()).isEqualTo("queued");
        assertThat(send(brand, "bold", "fund-r4").path("outcome").asString()).isEqualTo("queued");
        assertThat(send(brand, "unassessed", "fund-r2").path("reason").asString()).isEqualTo("risk:no-assessment");
        assertThat(send(brand, "cautious", "t-shirt").path("outcome").asString()).as("not a rated product").isEqualTo("queued");
        assertThat(send(brand, "cautious", null).path("outcome").asString()).as("offers no product").isEqualTo("queued");

        String cautious = profile(brand, "user_id:cautious").path("id").asString();
        JsonNode decisions = body(get("/api/v1/send-policy/decisions?reason=risk:&person=" + cautious, brand));
        assertThat(decisions.path("decisions").size()).isEqualTo(1);
        assertThat(decisions.path("decisions").get(0).path("decision").asString()).isEqualTo("suppress");
        assertThat(decisions.path("decisions").get(0).path("reason").asString()).isEqualTo("risk:above-assessment:R4>R2");
        assertThat(decisions.path("byReason").path("risk:no-assessment").asLong()).isEqualTo(1);

        // re-assessed upwards, the same product may be sent
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"cautious\",\"traits\":{\"risk_assessment\":\"C4\"}}");
        assertThat(send(brand, "cautious", "fund-r4").path("outcome").asString()).isEqualTo("queued");
    }

    @Test
    void aFrozenPersonGetsNoMarketingButStillGetsServiceNotices() {
        Brand brand = newBrand();
        put("/api/v1/compliance/risk/detectors/cancellations", brand,
                "{\"kind\":\"count\",\"event\":\"Order Cancelled\",\"threshold\":2,\"windowSeconds\":86400,\"action\":\"freeze\"}");
        for (int i = 0; i < 3; i++) {
            post("/v1/track", brand.writeKey(), "{\"userId\":\"busy\",\"event\":\"Order Cancelled\",\"timestamp\":\""
                    + Instant.now().minusSeconds(60L * (3 - i)) + "\",\"properties\":{\"order_id\":\"b-" + i + "\",\"total\":10}}");
        }
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"calm\"}");
        put("/api/v1/message-templates/promo", brand, "{\"channel\":\"inapp\",\"body\":\"双十二会员专享\",\"marketing\":true}");
        put("/api/v1/message-templates/notice", brand, "{\"channel\":\"inapp\",\"body\":\"您的订单已取消\",\"marketing\":false}");

        JsonNode promo = body(adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:busy\",\"template\":\"promo\"}"));
        assertThat(promo.path("outcome").asString()).isEqualTo("suppressed");
        assertThat(promo.path("reason").asString()).isEqualTo("risk:frozen");
        // the control: the same marketing message to a person who is not frozen is not suppressed (sent, or deferred by quiet hours)
        JsonNode control = body(adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:calm\",\"template\":\"promo\"}"));
        assertThat(control.path("outcome").asString()).isIn("queued", "deferred");
        assertThat(body(adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:busy\",\"template\":\"notice\"}"))
                .path("outcome").asString()).isEqualTo("queued");
        assertThat(body(adminPost("/api/v1/messages", brand,
                "{\"identifier\":\"user_id:busy\",\"template\":\"notice\",\"product\":\"anything\"}")).path("reason").asString())
                .as("a product offer counts as marketing").isEqualTo("risk:frozen");
        assertThat(body(get("/api/v1/send-policy/decisions", brand)).path("byReason").path("risk:frozen").asLong()).isEqualTo(2);
    }

    @Test
    void theProductParameterIsValidated() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"p\"}");
        put("/api/v1/message-templates/offer", brand, "{\"channel\":\"inapp\",\"body\":\"x\",\"marketing\":false}");
        HttpResponse<String> tooLong = adminPost("/api/v1/messages", brand,
                "{\"identifier\":\"user_id:p\",\"template\":\"offer\",\"product\":\"" + "p".repeat(129) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(body(tooLong).path("errors").get(0).path("field").asString()).isEqualTo("product");
        HttpResponse<String> empty = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:p\",\"template\":\"offer\",\"product\":\"\"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        HttpResponse<String> hostile = adminPost("/api/v1/messages", brand,
                "{\"identifier\":\"user_id:p\",\"template\":\"offer\",\"product\":\"' OR 1=1 --\"}");
        assertThat(body(hostile).path("outcome").asString()).as("an unknown product id is not a rated product").isEqualTo("queued");
        HttpResponse<String> wrongType = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:p\",\"template\":\"offer\",\"product\":{}}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
    }

    private JsonNode send(Brand brand, String user, String product) {
        String productField = product == null ? "" : ",\"product\":\"" + product + "\"";
        HttpResponse<String> response = adminPost("/api/v1/messages", brand,
                "{\"identifier\":\"user_id:" + user + "\",\"template\":\"offer\"" + productField + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
