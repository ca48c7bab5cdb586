package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TagApiTest extends ApiTest {

    @Test
    void operatorTagsPeopleAndTheProfileShowsIt() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"t-1\",\"traits\":{\"name\":\"赵六\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"t-2\"}");
        var assigned = adminPost("/api/v1/tags/高价值/people", brand, "{\"identifiers\":[\"user_id:t-1\",\"user_id:t-2\"]}");
        assertThat(assigned.statusCode()).isEqualTo(200);
        assertThat(body(assigned).path("accepted").asInt()).isEqualTo(2);
        assertThat(profile(brand, "user_id:t-1").path("tags").toString()).contains("高价值");
        JsonNode members = body(get("/api/v1/tags/%E9%AB%98%E4%BB%B7%E5%80%BC/people", brand));
        assertThat(members.path("total").asInt()).isEqualTo(2);
        adminPost("/api/v1/tags/高价值/people/remove", brand, "{\"identifiers\":[\"user_id:t-2\"]}");
        assertThat(profile(brand, "user_id:t-2").path("tags").size()).isZero();
        assertThat(body(get("/api/v1/tags", brand)).toString()).contains("\"people\":1");
    }

    @Test
    void pagesThroughMembersWithTheNextCursorUntilItIsMinusOne() {
        Brand brand = newBrand();
        StringBuilder identifiers = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            post("/v1/identify", brand.writeKey(), "{\"userId\":\"page-" + i + "\"}");
            identifiers.append(i == 0 ? "" : ",").append("\"user_id:page-").append(i).append('"');
        }
        adminPost("/api/v1/tags/paged/people", brand, "{\"identifiers\":[" + identifiers + "]}");
        java.util.Set<String> seen = new java.util.HashSet<>();
        int after = -1;
        int pages = 0;
        do {
            JsonNode page = body(get("/api/v1/tags/paged/people?limit=2&after=" + after, brand));
            assertThat(page.path("total").asInt()).isEqualTo(5);
            page.path("people").forEach(id -> assertThat(seen.add(id.asString())).as("repeated " + id).isTrue());
            after = page.path("next").asInt();
            pages++;
        } while (after != -1 && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).allSatisfy(id -> assertThat(java.util.UUID.fromString(id)).isNotNull());
        assertThat(seen).contains(profile(brand, "user_id:page-3").path("id").asString());
        JsonNode beyond = body(get("/api/v1/tags/paged/people?limit=2&after=2147483000", brand));
        assertThat(beyond.path("people").size()).isZero();
        assertThat(beyond.path("next").asInt()).isEqualTo(-1);
    }

    @Test
    void tagsOfAGroupExcludeEachOther() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"life-1\"}");
        adminPost("/api/v1/tags/new/people", brand, "{\"identifiers\":[\"user_id:life-1\"],\"group\":\"lifecycle\"}");
        adminPost("/api/v1/tags/active/people", brand, "{\"identifiers\":[\"user_id:life-1\"],\"group\":\"lifecycle\"}");
        assertThat(profile(brand, "user_id:life-1").path("tags").toString()).contains("active").doesNotContain("new");
    }

    @Test
    void tagsFollowAPersonThroughAMerge() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"anonymousId\":\"tag-anon\",\"event\":\"Signed Up\"}");
        adminPost("/api/v1/tags/from-ad/people", brand, "{\"identifiers\":[\"anonymous_id:tag-anon\"]}");
        post("/v1/identify", brand.writeKey(), "{\"anonymousId\":\"tag-anon\",\"userId\":\"tag-user\"}");
        assertThat(profile(brand, "user_id:tag-user").path("tags").toString()).contains("from-ad");
        assertThat(body(get("/api/v1/tags/from-ad/people", brand)).path("total").asInt()).isEqualTo(1);
    }

    @Test
    void rejectsBadTagRequestsNamingTheField() {
        Brand brand = newBrand();
        var none = adminPost("/api/v1/tags/x/people", brand, "{\"identifiers\":[]}");
        assertThat(body(none).path("errors").get(0).path("field").asString()).isEqualTo("identifiers");
        var bad = adminPost("/api/v1/tags/x/people", brand, "{\"identifiers\":[\"user_id:ok\",\"nonsense\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(body(bad).path("errors").get(0).path("field").asString()).isEqualTo("identifiers[1]");
        var longName = adminPost("/api/v1/tags/" + "x".repeat(80) + "/people", brand, "{\"identifiers\":[\"user_id:a\"]}");
        assertThat(body(longName).path("errors").get(0).path("field").asString()).isEqualTo("tag");
        assertThat(get("/api/v1/tags/x/people?limit=0", brand).statusCode()).isEqualTo(400);
        var viaSegment = post("/v1/track", brand.writeKey(), "{\"userId\":\"u\",\"event\":\"Tag Assigned\",\"properties\":{}}");
        assertThat(viaSegment.statusCode()).isEqualTo(400);
        assertThat(body(viaSegment).path("errors").get(0).path("field").asString()).isEqualTo("properties.tag");
    }
}
