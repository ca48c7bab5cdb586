package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SegmentCountApiTest extends ApiTest {

    private Brand brand;

    private long count(String condition) {
        var response = adminPost("/api/v1/segments/count", brand, "{\"condition\":" + json.writeValueAsString(condition) + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response).path("count").asLong();
    }

    private void track(String user, String event, int daysAgo, String properties) {
        post("/v1/track", brand.writeKey(), "{\"userId\":\"" + user + "\",\"event\":\"" + event + "\",\"timestamp\":\""
                + Instant.now().minus(daysAgo, ChronoUnit.DAYS) + "\",\"properties\":" + properties + "}");
    }

    @Test
    void countsPeopleByTraitsStatsTagsAndWindowedBehaviour() {
        brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"a\",\"traits\":{\"age\":27,\"city\":\"上海\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"b\",\"traits\":{\"age\":35,\"city\":\"杭州\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c\",\"traits\":{\"age\":29}}");
        for (int i = 0; i < 3; i++) {
            track("a", "Order Completed", 10 + i, "{\"order_id\":\"a" + i + "\",\"total\":500,\"products\":[{\"category\":\"母婴\"}]}");
        }
        track("b", "Order Completed", 400, "{\"order_id\":\"b1\",\"total\":3000}");
        track("c", "Product Viewed", 1, "{\"product_id\":\"p\",\"category\":\"母婴\"}");
        track("c", "Product Viewed", 2, "{\"product_id\":\"q\",\"category\":\"母婴\"}");
        track("c", "Product Viewed", 40, "{\"product_id\":\"r\",\"category\":\"母婴\"}");
        adminPost("/api/v1/tags/high_spender/people", brand, "{\"identifiers\":[\"user_id:b\"]}");

        assertThat(count("age between 25 and 30")).isEqualTo(2);
        assertThat(count("age between 25 and 30 and count(\"Order Completed\", 365d) >= 3")).isEqualTo(1);
        assertThat(count("avg_order_value > 1000")).isEqualTo(1);
        assertThat(count("has_tag(\"high_spender\") and not in_segment(\"dormant\")")).isEqualTo(1);
        assertThat(count("count(\"Product Viewed\" where category = \"母婴\", 30d) >= 2")).isEqualTo(1);
        assertThat(count("count(\"Product Viewed\" where category = \"母婴\", 30d) >= 3")).isZero();
        assertThat(count("city is missing")).isEqualTo(1);
        assertThat(count("city in (\"上海\", \"杭州\") or order_count >= 1")).isEqualTo(2);
        assertThat(count("not has_tag(\"high_spender\")")).isEqualTo(2);
        assertThat(count("sum(\"Order Completed\", 30d) >= 1500")).isEqualTo(1);
        assertThat(count("days_since(last_order) > 300")).isEqualTo(1);
    }

    @Test
    void pointsAtTheLineAndColumnOfASyntaxError() {
        brand = newBrand();
        var response = adminPost("/api/v1/segments/count", brand, "{\"condition\":\"age >= and city = 1\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = body(response).path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("condition");
        assertThat(error.path("rule").asString()).isEqualTo("syntax");
        assertThat(error.path("message").asString()).startsWith("1:8");
        var missing = adminPost("/api/v1/segments/count", brand, "{}");
        assertThat(body(missing).path("errors").get(0).path("rule").asString()).isEqualTo("required");
        var unsupported = adminPost("/api/v1/segments/count", brand,
                "{\"condition\":\"count(\\\"Product Viewed\\\" where brand = \\\"x\\\", 7d) > 0\"}");
        assertThat(body(unsupported).path("errors").get(0).path("rule").asString()).isEqualTo("unsupported");
        var hours = adminPost("/api/v1/segments/count", brand, "{\"condition\":\"count(\\\"Logged In\\\", 12h) > 0\"}");
        assertThat(body(hours).path("errors").get(0).path("message").asString()).contains("whole days");
    }
}
