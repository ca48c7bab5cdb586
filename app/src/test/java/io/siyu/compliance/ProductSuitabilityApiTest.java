package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.PersonId;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ProductSuitabilityApiTest extends ApiTest {

    @Autowired
    ProductSuitability suitability;

    @Test
    void aCautiousInvestorIsNeverOfferedAHigherRiskProduct() {
        Brand brand = newBrand();
        assertThat(put("/api/v1/compliance/products/fund-r2", brand, "{\"riskLevel\":\"R2\",\"name\":\"稳健理财\"}").statusCode())
                .isEqualTo(201);
        put("/api/v1/compliance/products/fund-r4", brand, "{\"riskLevel\":\"R4\",\"name\":\"股票基金\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"cautious\",\"traits\":{\"risk_assessment\":\"C2\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"unassessed\",\"traits\":{\"name\":\"张三\"}}");

        JsonNode higher = body(get("/api/v1/compliance/suitability?identifier=user_id:cautious&product=fund-r4", brand));
        assertThat(higher.get("suitable").asBoolean()).isFalse();
        assertThat(higher.get("reason").asString()).isEqualTo("risk:above-assessment:R4>R2");
        assertThat(higher.get("assessment").asString()).isEqualTo("R2");
        assertThat(body(get("/api/v1/compliance/suitability?identifier=user_id:cautious&product=fund-r2", brand))
                .get("suitable").asBoolean()).isTrue();
        assertThat(body(get("/api/v1/compliance/suitability?identifier=user_id:cautious&product=t-shirt", brand))
                .get("suitable").asBoolean()).isTrue();
        assertThat(body(get("/api/v1/compliance/suitability?identifier=user_id:unassessed&product=fund-r2", brand))
                .get("reason").asString()).isEqualTo("risk:no-assessment");

        PersonId cautious = PersonId.parse(profile(brand, "user_id:cautious").get("id").asString());
        assertThat(suitability.suitableOnly(brand.tenant().id(), cautious, List.of("fund-r4", "fund-r2", "t-shirt"), id -> id))
                .containsExactly("fund-r2", "t-shirt");

        // the assessment changes with the trait: after re-assessment the R4 product becomes suitable
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"cautious\",\"traits\":{\"risk_assessment\":\"C4\"}}");
        assertThat(suitability.check(brand.tenant().id(), cautious, "fund-r4").allowed()).isTrue();
        // a product re-rated upwards becomes unsuitable again
        assertThat(put("/api/v1/compliance/products/fund-r4", brand, "{\"riskLevel\":\"R5\"}").statusCode()).isEqualTo(200);
        assertThat(suitability.check(brand.tenant().id(), cautious, "fund-r4").allowed()).isFalse();
    }

    @Test
    void productInputIsValidated() {
        Brand brand = newBrand();
        assertThat(put("/api/v1/compliance/products/p", brand, "{}").body()).contains("\"rule\":\"required\"");
        assertThat(put("/api/v1/compliance/products/p", brand, "{\"riskLevel\":\"R9\"}").body()).contains("\"rule\":\"enum\"");
        assertThat(put("/api/v1/compliance/products/p", brand, "{\"riskLevel\":").statusCode()).isEqualTo(400);
        assertThat(put("/api/v1/compliance/products/" + "p".repeat(129), brand, "{\"riskLevel\":\"R1\"}").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/compliance/products/none", brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/compliance/suitability?identifier=nonsense&product=p", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/compliance/suitability?identifier=user_id:nobody&product=p", brand).statusCode()).isEqualTo(404);
        put("/api/v1/compliance/products/p", brand, "{\"riskLevel\":\"3\"}");
        put("/api/v1/compliance/products/p", brand, "{\"riskLevel\":\"3\"}");
        assertThat(body(get("/api/v1/compliance/products", brand)).size()).isEqualTo(1);
        assertThat(body(get("/api/v1/compliance/products/p", brand)).get("riskLevel").asString()).isEqualTo("R3");
    }

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
