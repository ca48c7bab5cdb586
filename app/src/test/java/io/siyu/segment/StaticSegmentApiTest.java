package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Static segments from uploaded id lists: durable members, usable like any segment. */
class StaticSegmentApiTest extends ApiTest {

    @Test
    void uploadedPeopleFormASegmentThatConditionsCanUse() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"s1\",\"event\":\"Signed Up\",\"context\":{\"traits\":{\"city\":\"上海\"}}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"s1\",\"traits\":{\"city\":\"上海\"}}");
        var first = adminPost("/api/v1/segments/线下活动名单/static", brand,
                "{\"identifiers\":[\"user_id:s1\",\"user_id:s2\",\"phone:13800138000\"]}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(body(first).path("people").asInt()).isEqualTo(3);
        // the same people again, plus one: members are kept once
        var second = adminPost("/api/v1/segments/线下活动名单/static", brand,
                "{\"identifiers\":[\"user_id:s1\",\"user_id:s2\",\"user_id:s3\"]}");
        assertThat(body(second).path("people").asInt()).isEqualTo(4);

        JsonNode count = body(adminPost("/api/v1/segments/count", brand,
                "{\"condition\":\"in_segment(\\\"线下活动名单\\\") and city = \\\"上海\\\"\"}"));
        assertThat(count.path("count").asInt()).isEqualTo(1);
        JsonNode page = body(get("/api/v1/segments/" + java.net.URLEncoder.encode("线下活动名单", java.nio.charset.StandardCharsets.UTF_8)
                + "/people?limit=10", brand));
        assertThat(page.path("people").size()).isEqualTo(4);
    }

    @Test
    void refusesBadListsAndAcceptsNothingFromThem() {
        Brand brand = newBrand();
        var bad = adminPost("/api/v1/segments/vip/static", brand, "{\"identifiers\":[\"user_id:ok\",\"nonsense\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(body(bad).path("errors").get(0).path("field").asString()).isEqualTo("identifiers[1]");
        var empty = adminPost("/api/v1/segments/vip/static", brand, "{\"identifiers\":[]}");
        assertThat(body(empty).path("errors").get(0).path("rule").asString()).isEqualTo("required");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ManualTags.MAX_PEOPLE_PER_REQUEST; i++) {
            many.add("\"user_id:u" + i + "\"");
        }
        var oversized = adminPost("/api/v1/segments/vip/static", brand, "{\"identifiers\":[" + String.join(",", many) + "]}");
        assertThat(body(oversized).path("errors").get(0).path("rule").asString()).isEqualTo("max-items");
        var longName = adminPost("/api/v1/segments/" + "n".repeat(60) + "/static", brand, "{\"identifiers\":[\"user_id:a\"]}");
        assertThat(longName.statusCode()).isEqualTo(400);
        var malformed = adminPost("/api/v1/segments/vip/static", brand, "{\"identifiers\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        // nothing of the refused lists reached anyone
        assertThat(body(adminPost("/api/v1/segments/count", brand, "{\"condition\":\"has_tag(\\\"static:vip\\\")\"}"))
                .path("count").asInt()).isZero();
    }
}
