package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SegmentDefinitionApiTest extends ApiTest {

    private java.net.http.HttpResponse<String> put(Brand brand, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void ruleTagFollowsBehaviourAsEventsArrive() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"rt\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"1\",\"total\":800}}");
        var defined = put(brand, "/api/v1/segments/high_spender", "{\"condition\":\"avg_order_value > 1000\",\"kind\":\"tag\"}");
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(200);
        assertThat(body(defined).path("people").asInt()).isZero();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"rt\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"2\",\"total\":3000}}");
        assertThat(profile(brand, "user_id:rt").path("tags").toString()).contains("high_spender");
        // two free orders pull the average to (800 + 3000 + 0 + 0) / 4 = 950
        post("/v1/track", brand.writeKey(), "{\"userId\":\"rt\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"3\",\"total\":0}}");
        post("/v1/track", brand.writeKey(), "{\"userId\":\"rt\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"4\",\"total\":0}}");
        assertThat(profile(brand, "user_id:rt").path("tags").toString()).doesNotContain("high_spender");
        JsonNode history = body(get("/api/v1/segments/high_spender/history", brand));
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).path("event").asString()).isEqualTo("Tag Removed");
        assertThat(history.get(1).path("event").asString()).isEqualTo("Tag Assigned");
    }

    @Test
    void segmentsCanBuildOnSegmentsAndTags() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"old\",\"event\":\"Logged In\",\"timestamp\":\""
                + Instant.now().minus(45, ChronoUnit.DAYS) + "\"}");
        post("/v1/track", brand.writeKey(), "{\"userId\":\"fresh\",\"event\":\"Logged In\"}");
        assertThat(put(brand, "/api/v1/segments/dormant", "{\"condition\":\"days_since(last_interaction) > 30\"}")
                .statusCode()).isEqualTo(200);
        var active = put(brand, "/api/v1/segments/active", "{\"condition\":{\"not\":{\"in_segment\":\"dormant\"}}}");
        assertThat(active.statusCode()).as(active.body()).isEqualTo(200);
        assertThat(body(active).path("condition").asString()).isEqualTo("not in_segment(\"dormant\")");
        assertThat(body(active).path("people").asInt()).isEqualTo(1);
        JsonNode list = body(get("/api/v1/segments", brand));
        assertThat(list.toString()).contains("\"dormant\"", "\"active\"");
        JsonNode people = body(get("/api/v1/segments/dormant/people", brand));
        assertThat(people.path("people").get(0).asString()).isEqualTo(profile(brand, "user_id:old").path("id").asString());
        // the dormant one comes back: an event moves them out of the segment at once
        post("/v1/track", brand.writeKey(), "{\"userId\":\"old\",\"event\":\"Logged In\"}");
        assertThat(body(get("/api/v1/segments/dormant/people", brand)).path("total").asInt()).isZero();
        assertThat(body(get("/api/v1/segments/dormant/history", brand)).get(0).path("event").asString()).isEqualTo("Segment Exited");
        var deleted = send(HttpRequest.newBuilder(URI.create(url("/api/v1/segments/dormant"))).header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/segments/dormant/people", brand).statusCode()).isEqualTo(404);
    }

    @Test
    void rejectsBadDefinitions() {
        Brand brand = newBrand();
        assertThat(body(put(brand, "/api/v1/segments/x", "{\"condition\":\"age >\"}")).path("errors").get(0).path("rule").asString())
                .isEqualTo("syntax");
        assertThat(body(put(brand, "/api/v1/segments/x", "{\"condition\":\"age > 1\",\"kind\":\"bucket\"}")).path("errors").get(0)
                .path("field").asString()).isEqualTo("kind");
        assertThat(put(brand, "/api/v1/segments/" + "n".repeat(70), "{\"condition\":\"age > 1\"}").statusCode()).isEqualTo(400);
    }
}
