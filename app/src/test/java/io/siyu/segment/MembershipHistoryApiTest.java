package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A person's rule-tag and segment changes are kept in PostgreSQL and listed newest first. */
class MembershipHistoryApiTest extends ApiTest {

    private HttpResponse<String> put(Brand brand, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void ruleTagsAndSegmentsLeaveADurableHistoryPerPerson() throws Exception {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"h1\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"1\",\"total\":800}}");
        String person = profile(brand, "user_id:h1").path("id").asString();
        assertThat(put(brand, "/api/v1/segments/big", "{\"condition\":\"total_spend > 1000\",\"kind\":\"tag\"}").statusCode()).isEqualTo(200);
        assertThat(put(brand, "/api/v1/segments/buyers", "{\"condition\":\"order_count >= 1\"}").statusCode()).isEqualTo(200);
        post("/v1/track", brand.writeKey(), "{\"userId\":\"h1\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"2\",\"total\":300}}");
        post("/v1/track", brand.writeKey(), "{\"userId\":\"h1\",\"event\":\"Order Refunded\",\"properties\":{\"order_id\":\"2\",\"total\":300}}");

        JsonNode changes = awaitChanges(brand, person, 1);
        // the segment's first evaluation is its baseline: h1 was a buyer before it existed, no "entered"
        assertThat(changes.toString()).doesNotContain("buyers");
        assertThat(changes.get(0).path("name").asString()).isEqualTo("big");
        assertThat(changes.get(0).path("kind").asString()).isEqualTo("tag");
        assertThat(changes.get(0).path("change").asString()).isEqualTo("assigned");
        assertThat(Instant.parse(changes.get(0).path("at").asString())).isAfter(Instant.now().minus(Duration.ofMinutes(5)));

        post("/v1/track", brand.writeKey(), "{\"userId\":\"h2\",\"event\":\"Signed Up\"}");
        String newcomer = profile(brand, "user_id:h2").path("id").asString();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"h2\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"9\",\"total\":10}}");
        JsonNode entered = awaitChanges(brand, newcomer, 1);
        assertThat(entered.get(0).path("name").asString()).isEqualTo("buyers");
        assertThat(entered.get(0).path("change").asString()).isEqualTo("entered");
    }

    @Test
    void refusesBadPeopleAndLimits() {
        Brand brand = newBrand();
        assertThat(get("/api/v1/profiles/not-a-uuid/memberships", brand).statusCode()).isEqualTo(400);
        assertThat(body(get("/api/v1/profiles/not-a-uuid/memberships", brand)).path("errors").get(0).path("field").asString())
                .isEqualTo("personId");
        assertThat(get("/api/v1/profiles/00000000-0000-8000-8000-000000000000/memberships", brand).statusCode()).isEqualTo(404);
        post("/v1/track", brand.writeKey(), "{\"userId\":\"h3\",\"event\":\"Signed Up\"}");
        String person = profile(brand, "user_id:h3").path("id").asString();
        assertThat(get("/api/v1/profiles/" + person + "/memberships?limit=0", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/profiles/" + person + "/memberships?limit=100000", brand).statusCode()).isEqualTo(400);
        assertThat(body(get("/api/v1/profiles/" + person + "/memberships", brand)).path("changes").size()).isZero();
        Brand other = newBrand();
        assertThat(get("/api/v1/profiles/" + person + "/memberships", other).statusCode()).isEqualTo(404);
    }

    /** The history is written off the engine's thread: wait until at least {@code n} changes show. */
    private JsonNode awaitChanges(Brand brand, String person, int n) throws InterruptedException {
        JsonNode changes = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = get("/api/v1/profiles/" + person + "/memberships", brand);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            changes = body(response).path("changes");
            if (changes.size() >= n) {
                return changes;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no membership changes for " + person + ": " + changes);
    }
}
