package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TrackingApiTest extends ApiTest {

    @Test
    void tracksAnEventIntoTheProfile() {
        Brand brand = newBrand();
        var response = post("/v1/track", brand.writeKey(), """
                {"userId":"u-1","event":"Product Viewed","properties":{"product_id":"p-9","category":"母婴","price":59.9},
                 "messageId":"m-1","context":{"channel":"miniprogram"}}""");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("success").asBoolean()).isTrue();
        JsonNode profile = profile(brand, "user_id:u-1");
        assertThat(profile.path("stats").path("eventCounts").path("Product Viewed").asInt()).isEqualTo(1);
        assertThat(profile.path("stats").path("categoryPreference").get(0).path("category").asString()).isEqualTo("母婴");
        assertThat(profile.path("stats").path("channelOfOrigin").asString()).isEqualTo("miniprogram");
    }

    @Test
    void retriedMessageIsAcknowledgedButAppliedOnce() {
        Brand brand = newBrand();
        String event = """
                {"userId":"u-2","event":"Order Completed","properties":{"order_id":"o-1","total":199},"messageId":"same"}""";
        assertThat(post("/v1/track", brand.writeKey(), event).statusCode()).isEqualTo(200);
        assertThat(post("/v1/track", brand.writeKey(), event).statusCode()).isEqualTo(200);
        assertThat(post("/v1/batch", brand.writeKey(), "{\"batch\":[" + event.replace("{\"userId\"", "{\"type\":\"track\",\"userId\"") + "]}").statusCode())
                .isEqualTo(200);
        JsonNode stats = profile(brand, "user_id:u-2").path("stats");
        assertThat(stats.path("orderCount").asInt()).isEqualTo(1);
        assertThat(stats.path("totalSpend").decimalValue()).isEqualByComparingTo("199");
    }

    @Test
    void mergesAnonymousHistoryOnIdentify() {
        Brand brand = newBrand();
        post("/v1/page", brand.writeKey(), "{\"anonymousId\":\"anon-1\",\"name\":\"首页\"}");
        post("/v1/track", brand.writeKey(), """
                {"anonymousId":"anon-1","event":"Product Added","properties":{"product_id":"p","category":"美妆"}}""");
        JsonNode anonymous = profile(brand, "anonymous_id:anon-1");
        post("/v1/identify", brand.writeKey(), """
                {"anonymousId":"anon-1","userId":"u-3","traits":{"name":"李四","phone":"+86 139-0000-1234","gender":"female"}}""");
        JsonNode known = profile(brand, "user_id:u-3");
        assertThat(known.path("identities").toString()).contains("anonymous_id:anon-1", "user_id:u-3", "phone:");
        assertThat(known.path("stats").path("eventCounts").path("Product Added").asInt()).isEqualTo(1);
        assertThat(known.path("stats").path("eventCounts").path("Page Viewed").asInt()).isEqualTo(1);
        assertThat(known.path("traits").path("phone").asString()).isEqualTo("139****1234");
        assertThat(known.toString()).doesNotContain("13900001234");
        var byOldId = get("/api/v1/profiles/" + anonymous.path("id").asString(), brand);
        assertThat(body(byOldId).path("id").asString()).isEqualTo(known.path("id").asString());
        assertThat(known.path("mergedFrom").toString()).contains(anonymous.path("id").asString());
    }

    @Test
    void neverMergesTwoDifferentUserIdsAutomatically() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"anonymousId\":\"shared-ipad\",\"userId\":\"mum\"}");
        post("/v1/identify", brand.writeKey(), "{\"anonymousId\":\"shared-ipad\",\"userId\":\"dad\"}");
        JsonNode mum = profile(brand, "user_id:mum");
        JsonNode dad = profile(brand, "user_id:dad");
        assertThat(mum.path("id").asString()).isNotEqualTo(dad.path("id").asString());
        assertThat(mum.path("identities").toString()).doesNotContain("user_id:dad");
    }

    @Test
    void findsThePersonByPhoneOnlyThroughItsKeyedHash() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"u-phone\",\"traits\":{\"phone\":\"13812345678\"}}");
        JsonNode profile = profile(brand, "user_id:u-phone");
        String phoneId = java.util.stream.StreamSupport.stream(profile.path("identities").spliterator(), false)
                .map(JsonNode::asString).filter(s -> s.startsWith("phone:")).findFirst().orElseThrow();
        assertThat(phoneId).doesNotContain("13812345678").hasSize("phone:".length() + 32);
        assertThat(profile(brand, phoneId).path("id").asString()).isEqualTo(profile.path("id").asString());
    }

    @Test
    void correctsClockSkewWithSentAt() {
        Brand brand = newBrand();
        Instant deviceNow = Instant.now().plus(3, ChronoUnit.HOURS); // the phone's clock runs 3 h fast
        Instant happened = deviceNow.minus(10, ChronoUnit.MINUTES);
        post("/v1/track", brand.writeKey(), "{\"userId\":\"u-skew\",\"event\":\"Logged In\",\"timestamp\":\"" + happened
                + "\",\"sentAt\":\"" + deviceNow + "\"}");
        Instant recorded = Instant.parse(profile(brand, "user_id:u-skew").path("stats").path("firstSeen").asString());
        Instant expected = Instant.now().minus(10, ChronoUnit.MINUTES);
        assertThat(recorded).isBetween(expected.minusSeconds(30), expected.plusSeconds(30));
    }

    @Test
    void acceptsGzipBatchesAndTheWriteKeyInTheBody() throws Exception {
        Brand brand = newBrand();
        String batch = "{\"writeKey\":\"" + brand.writeKey() + "\",\"batch\":["
                + "{\"type\":\"track\",\"userId\":\"u-gz\",\"event\":\"Signed Up\"},"
                + "{\"type\":\"identify\",\"userId\":\"u-gz\",\"traits\":{\"city\":\"杭州\"}}]}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(batch.getBytes(StandardCharsets.UTF_8));
        }
        var response = send(HttpRequest.newBuilder(URI.create(url("/v1/batch")))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("accepted").asInt()).isEqualTo(2);
        assertThat(profile(brand, "user_id:u-gz").path("traits").path("city").asString()).isEqualTo("杭州");
    }

    @Test
    void rejectsSchemaViolationsWithFieldLevelReasonsAndQuarantinesThem() {
        Brand brand = newBrand();
        var response = post("/v1/track", brand.writeKey(), """
                {"userId":"u-bad","event":"Order Completed","properties":{"total":-5}}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        JsonNode problem = body(response);
        assertThat(problem.path("errors").toString()).contains("properties.order_id", "required", "properties.total", "minimum");
        long quarantineId = problem.path("quarantineId").asLong();
        JsonNode quarantine = body(get("/api/v1/quarantine", brand));
        assertThat(quarantine.path("items").get(0).path("id").asLong()).isEqualTo(quarantineId);
        assertThat(quarantine.path("items").get(0).path("payload").asString()).contains("\"total\":-5");
    }

    @Test
    void batchKeepsGoodMessagesAndReportsBadOnesByIndex() {
        Brand brand = newBrand();
        var response = post("/v1/batch", brand.writeKey(), """
                {"batch":[
                  {"type":"track","userId":"u-mix","event":"Product Viewed","properties":{"product_id":"p1"}},
                  {"type":"track","userId":"u-mix","event":"Product Viewed","properties":{"price":"cheap"}},
                  {"type":"teleport","userId":"u-mix"},
                  {"type":"track","event":"Logged In"},
                  "not an object"
                ]}""");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = body(response);
        assertThat(result.path("accepted").asInt()).isEqualTo(1);
        assertThat(result.path("quarantined").size()).isEqualTo(4);
        assertThat(result.path("quarantined").toString())
                .contains("batch[1].properties.price", "batch[2].type", "batch[3].userId", "batch[4]");
        assertThat(profile(brand, "user_id:u-mix").path("stats").path("eventCount").asInt()).isEqualTo(1);
    }

    @Test
    void refusesOversizedMessagesAndBatchesWith413() {
        Brand brand = newBrand();
        String big = "x".repeat(33 * 1024);
        var single = post("/v1/track", brand.writeKey(),
                "{\"userId\":\"u\",\"event\":\"Big\",\"properties\":{\"blob\":\"" + big + "\"}}");
        assertThat(single.statusCode()).isEqualTo(413);
        assertThat(body(single).path("errors").get(0).path("rule").asString()).isEqualTo("max-size");
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"b\":\"")
                    .append("y".repeat(30_000)).append("\"}}");
        }
        assertThat(post("/v1/batch", brand.writeKey(), batch.append("]}").toString()).statusCode()).isEqualTo(413);
    }

    @Test
    void quarantinesAnOversizedMessageInsideABatchButKeepsTheRest() {
        Brand brand = newBrand();
        var response = post("/v1/batch", brand.writeKey(), "{\"batch\":["
                + "{\"type\":\"track\",\"userId\":\"u-big\",\"event\":\"Signed Up\"},"
                + "{\"type\":\"track\",\"userId\":\"u-big\",\"event\":\"E\",\"properties\":{\"b\":\"" + "z".repeat(40_000) + "\"}}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("quarantined").get(0).path("errors").get(0).path("rule").asString()).isEqualTo("max-size");
        assertThat(body(response).path("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void answersMalformedBodiesWithProblemsNamingTheField() {
        Brand brand = newBrand();
        var notJson = post("/v1/track", brand.writeKey(), "{\"userId\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(body(notJson).path("errors").get(0).path("field").asString()).isEqualTo("body");
        var noBatch = post("/v1/batch", brand.writeKey(), "{\"events\":[]}");
        assertThat(body(noBatch).path("errors").get(0).path("field").asString()).isEqualTo("batch");
        var array = post("/v1/identify", brand.writeKey(), "[1,2]");
        assertThat(array.statusCode()).isEqualTo(400);
        var badTime = post("/v1/track", brand.writeKey(), "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"yesterday\"}");
        assertThat(body(badTime).path("errors").get(0).path("field").asString()).isEqualTo("timestamp");
        var notGzip = send(HttpRequest.newBuilder(URI.create(url("/v1/track")))
                .header("Authorization", basic(brand.writeKey())).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("plain")).build());
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(body(notGzip).path("errors").get(0).path("rule").asString()).isEqualTo("gzip");
    }

    @Test
    void refusesMissingOrUnknownWriteKeysWith401() {
        var none = send(HttpRequest.newBuilder(URI.create(url("/v1/track"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\",\"event\":\"E\"}")).build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(post("/v1/track", "wk_forged", "{\"userId\":\"u\",\"event\":\"E\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void writeKeyOfOneTenantNeverReachesAnother() {
        Brand a = newBrand();
        Brand b = newBrand();
        post("/v1/track", a.writeKey(), "{\"userId\":\"same-user\",\"event\":\"Signed Up\"}");
        assertThat(get("/api/v1/profiles?identifier=user_id:same-user", b).statusCode()).isEqualTo(404);
        post("/v1/track", b.writeKey(), "{\"userId\":\"same-user\",\"event\":\"Logged In\"}");
        assertThat(profile(a, "user_id:same-user").path("stats").path("eventCounts").has("Logged In")).isFalse();
        assertThat(profile(b, "user_id:same-user").path("stats").path("eventCounts").has("Signed Up")).isFalse();
        String idInA = profile(a, "user_id:same-user").path("id").asString();
        assertThat(get("/api/v1/profiles/" + idInA, b).statusCode()).isEqualTo(404);
        // a write key is not a management credential
        var withWriteKey = send(HttpRequest.newBuilder(URI.create(url("/api/v1/profiles/" + idInA)))
                .header("Authorization", "Bearer " + a.writeKey()).GET().build());
        assertThat(withWriteKey.statusCode()).isEqualTo(401);
        // a tenant token of B cannot read A
        String tokenB = credentials.issueApiToken(b.tenant().id(), "b").secret();
        var crossTenant = send(HttpRequest.newBuilder(URI.create(url("/api/v1/profiles/" + idInA)))
                .header("Authorization", "Bearer " + tokenB).GET().build());
        assertThat(crossTenant.statusCode()).isEqualTo(404);
        var crossKeys = send(HttpRequest.newBuilder(URI.create(url("/api/v1/tenants/" + a.tenant().id().value() + "/write-keys")))
                .header("Authorization", "Bearer " + tokenB).GET().build());
        assertThat(crossKeys.statusCode()).isEqualTo(404);
    }

    @Test
    void revokedWriteKeyStopsWorking() {
        Brand brand = newBrand();
        var issued = credentials.issueWriteKey(brand.tenant().id(), "temp");
        assertThat(post("/v1/track", issued.secret(), "{\"userId\":\"u\",\"event\":\"E\"}").statusCode()).isEqualTo(200);
        credentials.revokeWriteKey(brand.tenant().id(), issued.id());
        assertThat(post("/v1/track", issued.secret(), "{\"userId\":\"u\",\"event\":\"E\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void operatorCanMergeAndUnmergePeople() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"userId\":\"shop-42\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"a\",\"total\":100}}");
        post("/v1/track", brand.writeKey(), "{\"anonymousId\":\"crm-42\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"b\",\"total\":50}}");
        var merged = adminPost("/api/v1/profiles/merge", brand, "{\"into\":\"user_id:shop-42\",\"from\":\"anonymous_id:crm-42\"}");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(body(merged).path("stats").path("orderCount").asInt()).isEqualTo(2);
        assertThat(profile(brand, "anonymous_id:crm-42").path("id").asString()).isEqualTo(body(merged).path("id").asString());
        var split = adminPost("/api/v1/profiles/unmerge", brand,
                "{\"person\":\"" + body(merged).path("id").asString() + "\",\"identifier\":\"anonymous_id:crm-42\"}");
        assertThat(split.statusCode()).isEqualTo(200);
        assertThat(profile(brand, "user_id:shop-42").path("stats").path("orderCount").asInt()).isEqualTo(1);
        assertThat(profile(brand, "anonymous_id:crm-42").path("stats").path("totalSpend").decimalValue()).isEqualByComparingTo("50");
        var unknown = adminPost("/api/v1/profiles/merge", brand, "{\"into\":\"user_id:shop-42\",\"from\":\"user_id:nobody\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(body(unknown).path("errors").get(0).path("field").asString()).isEqualTo("from");
    }

    @Test
    void managementApiNeedsABearerTokenAndNamesTheTenant() {
        Brand brand = newBrand();
        var none = send(HttpRequest.newBuilder(URI.create(url("/api/v1/profiles?identifier=user_id:x"))).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        var noTenant = send(HttpRequest.newBuilder(URI.create(url("/api/v1/profiles?identifier=user_id:x")))
                .header("Authorization", "Bearer " + ADMIN).GET().build());
        assertThat(noTenant.statusCode()).isEqualTo(400);
        assertThat(body(noTenant).path("errors").get(0).path("field").asString()).isEqualTo("X-Siyu-Tenant");
        assertThat(get("/api/v1/profiles?identifier=nonsense", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/profiles/not-a-uuid", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/profiles/" + java.util.UUID.randomUUID(), brand).statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheOpenApiDocumentAndPrometheusMetrics() {
        Brand brand = newBrand();
        long acksBefore = metricCount("siyu_ingest_ack_seconds_count");
        long commitsBefore = metricCount("siyu_log_commit_seconds_count");
        long writesBefore = metricCount("siyu_log_write_seconds_count");
        post("/v1/track", brand.writeKey(), "{\"userId\":\"u-metrics\",\"event\":\"Logged In\"}");
        assertThat(metricCount("siyu_ingest_ack_seconds_count")).isGreaterThan(acksBefore);
        assertThat(metricCount("siyu_log_commit_seconds_count")).isGreaterThan(commitsBefore);
        assertThat(metricCount("siyu_log_write_seconds_count")).isGreaterThan(writesBefore);
        var openapi = send(HttpRequest.newBuilder(URI.create(url("/v3/api-docs"))).GET().build());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("/v1/batch", "/api/v1/profiles/{personId}");
        var metrics = send(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus"))).GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("siyu_ingest_events_total", "siyu_ingest_ack_seconds_bucket", "siyu_log_lag", "siyu_replay_progress", "jvm_memory_used_bytes");
    }

    private long metricCount(String name) {
        String metrics = send(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus"))).GET().build()).body();
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void dictionaryListsAtLeastTwentyStandardEvents() {
        Brand brand = newBrand();
        JsonNode dictionary = body(get("/api/v1/events/dictionary", brand));
        assertThat(dictionary.size()).isGreaterThanOrEqualTo(20);
        assertThat(dictionary.toString()).contains("Order Completed", "WeCom Contact Added", "Message Clicked");
    }


    @Test
    void acceptsAnalyticsJsShortPathsWithTextPlainAndAnswersCorsPreflight() {
        Brand brand = newBrand();
        var response = send(HttpRequest.newBuilder(URI.create(url("/v1/t")))
                .header("Content-Type", "text/plain").header("Origin", "https://shop.example.cn")
                .POST(HttpRequest.BodyPublishers.ofString("{\"writeKey\":\"" + brand.writeKey()
                        + "\",\"anonymousId\":\"js-1\",\"event\":\"Product Viewed\",\"properties\":{}}")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.cn");
        var preflight = send(HttpRequest.newBuilder(URI.create(url("/v1/b")))
                .header("Origin", "https://shop.example.cn").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(profile(brand, "anonymous_id:js-1").path("stats").path("eventCount").asInt()).isEqualTo(1);
    }

    @Test
    void listsTheMergesThatFormedAPerson() {
        Brand brand = newBrand();
        post("/v1/track", brand.writeKey(), "{\"anonymousId\":\"m-anon\",\"event\":\"Signed Up\"}");
        post("/v1/identify", brand.writeKey(), "{\"anonymousId\":\"m-anon\",\"userId\":\"m-user\"}");
        String id = profile(brand, "user_id:m-user").path("id").asString();
        JsonNode merges = body(get("/api/v1/profiles/" + id + "/merges", brand));
        assertThat(merges.size()).isEqualTo(1);
        assertThat(merges.get(0).path("into").asString()).isEqualTo(id);
        assertThat(merges.get(0).path("via").asString()).isEqualTo("anonymous_id:m-anon");
        assertThat(get("/api/v1/profiles/" + java.util.UUID.randomUUID() + "/merges", brand).statusCode()).isEqualTo(404);
    }
}
