package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RfmApiTest extends ApiTest {

    private void order(Brand brand, String user, int daysAgo, int total, int n) {
        for (int i = 0; i < n; i++) {
            post("/v1/track", brand.writeKey(), "{\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"timestamp\":\""
                    + Instant.now().minus(daysAgo + i, ChronoUnit.DAYS) + "\",\"properties\":{\"order_id\":\"" + user + i
                    + "\",\"total\":" + total + "}}");
        }
    }

    @Test
    void classesBuyersIntoTheEightRfmClassesAsTags() {
        Brand brand = newBrand();
        order(brand, "vip", 1, 2000, 8);        // recent, frequent, big spender
        order(brand, "lapsed-vip", 200, 3000, 8); // long gone, was frequent and big
        order(brand, "newbie", 0, 30, 1);        // recent, once, small
        order(brand, "gone", 300, 20, 1);        // long gone, once, small
        order(brand, "mid", 30, 300, 3);
        post("/v1/track", brand.writeKey(), "{\"userId\":\"browser\",\"event\":\"Product Viewed\",\"properties\":{}}");
        var response = adminPost("/api/v1/rfm/recompute", brand, "");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode counts = body(response);
        assertThat(counts.size()).isEqualTo(8);
        int total = 0;
        for (JsonNode n : counts) {
            total += n.asInt();
        }
        assertThat(total).isEqualTo(5);
        assertThat(profile(brand, "user_id:vip").path("tags").toString()).contains("重要价值客户");
        assertThat(profile(brand, "user_id:lapsed-vip").path("tags").toString()).contains("重要保持客户");
        assertThat(profile(brand, "user_id:newbie").path("tags").toString()).contains("一般发展客户");
        assertThat(profile(brand, "user_id:gone").path("tags").toString()).contains("一般挽留客户");
        JsonNode vip = profile(brand, "user_id:vip").path("scores");
        assertThat(vip.path("rfm_r").asInt()).isEqualTo(4); // only the newbie bought more recently
        assertThat(vip.path("rfm_m").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(profile(brand, "user_id:browser").path("scores").isEmpty()).isTrue();
        assertThat(profile(brand, "user_id:browser").path("tags").size()).isZero();
        // recomputation replaces, never accumulates
        adminPost("/api/v1/rfm/recompute", brand, "");
        long rfmTags = java.util.stream.StreamSupport.stream(profile(brand, "user_id:vip").path("tags").spliterator(), false)
                .filter(t -> t.asString().endsWith("客户")).count();
        assertThat(rfmTags).isEqualTo(1);
    }
}
