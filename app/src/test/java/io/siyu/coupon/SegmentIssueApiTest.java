package io.siyu.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Bulk issue to a segment: a background job, idempotent per request key, bounded by stock and per-person limits. */
class SegmentIssueApiTest extends ApiTest {

    @Autowired JdbcClient jdbc;

    private void template(Brand brand, String id, int stock) {
        var created = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"" + id + "\",\"name\":\"会员日 20元无门槛\",\"kind\":\"FIXED\","
                + "\"amountFen\":2000,\"totalStock\":" + stock + ",\"perPersonLimit\":1,\"validForHours\":24}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    /** 30 people known by user id, and one known only by a phone hash (which cannot name anyone in an event). */
    private void segment(Brand brand) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add("\"user_id:m" + i + "\"");
        }
        ids.add("\"phone:13800138000\"");
        var uploaded = adminPost("/api/v1/segments/member-day/static", brand, "{\"identifiers\":[" + String.join(",", ids) + "]}");
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    }

    private JsonNode awaitDone(Brand brand, String template, String job) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = body(get("/api/v1/coupon-templates/" + template + "/issue-jobs/" + job, brand));
            if (!last.path("status").asString().equals("RUNNING")) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + job + " still running: " + last);
    }

    private int stored(Brand brand, String template) {
        return jdbc.sql("SELECT count(*) FROM coupons WHERE tenant_id = ? AND template_id = ?").params(brand.tenant().id().value(), template)
                .query(Integer.class).single();
    }

    @Test
    void issuesToMembersUpToTheStockAndCountsWhoWasSkippedAndWhy() {
        Brand brand = newBrand();
        segment(brand);
        template(brand, "day20", 20);
        var started = adminPost("/api/v1/coupon-templates/day20/issue-to-segment", brand, "{\"segment\":\"member-day\",\"requestKey\":\"nov-25\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = body(started).path("job").asString();
        JsonNode done = awaitDone(brand, "day20", job);
        assertThat(done.path("status").asString()).isEqualTo("DONE");
        assertThat(done.path("members").asInt()).isEqualTo(31);
        assertThat(done.path("issued").asInt()).isEqualTo(20);
        assertThat(done.path("skipped").path("stock:sold-out").asInt()).isEqualTo(10);
        assertThat(done.path("skipped").path("person:no-identifier").asInt()).isEqualTo(1);
        assertThat(stored(brand, "day20")).isEqualTo(20);

        // the same request again: the same job, nothing issued twice
        var again = adminPost("/api/v1/coupon-templates/day20/issue-to-segment", brand, "{\"segment\":\"member-day\",\"requestKey\":\"nov-25\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(body(again).path("job").asString()).isEqualTo(job);
        assertThat(body(again).path("issued").asInt()).isEqualTo(20);
        assertThat(stored(brand, "day20")).isEqualTo(20);
    }

    @Test
    void aNewKeyRespectsPerPersonLimitsAndEachPersonGetsAnEvent() {
        Brand brand = newBrand();
        segment(brand);
        template(brand, "vip", 100);
        String first = body(adminPost("/api/v1/coupon-templates/vip/issue-to-segment", brand,
                "{\"segment\":\"member-day\",\"requestKey\":\"a\"}")).path("job").asString();
        assertThat(awaitDone(brand, "vip", first).path("issued").asInt()).isEqualTo(30);
        String second = body(adminPost("/api/v1/coupon-templates/vip/issue-to-segment", brand,
                "{\"segment\":\"member-day\",\"requestKey\":\"b\"}")).path("job").asString();
        JsonNode done = awaitDone(brand, "vip", second);
        assertThat(done.path("issued").asInt()).isZero();
        assertThat(done.path("skipped").path("limit:per-person").asInt()).isEqualTo(30);
        assertThat(stored(brand, "vip")).isEqualTo(30);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (profile(brand, "user_id:m7").path("stats").path("eventCounts").path("Coupon Issued").asInt() != 1) {
            assertThat(System.nanoTime()).as("Coupon Issued for m7").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void refusesMalformedHostileUnknownAndReusedInput() {
        Brand brand = newBrand();
        segment(brand);
        template(brand, "t1", 10);
        String path = "/api/v1/coupon-templates/t1/issue-to-segment";
        assertThat(adminPost(path, brand, "{\"segment\":").statusCode()).isEqualTo(400);
        assertThat(body(adminPost(path, brand, "{\"requestKey\":\"k\"}")).path("errors").get(0).path("field").asString()).isEqualTo("segment");
        assertThat(body(adminPost(path, brand, "{\"segment\":\"member-day\"}")).path("errors").get(0).path("field").asString())
                .isEqualTo("requestKey");
        var hostile = adminPost(path, brand, "{\"segment\":\"member-day\",\"requestKey\":\"k'; DROP TABLE coupons;--\"}");
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(body(hostile).path("errors").get(0).path("rule").asString()).isEqualTo("format");
        assertThat(adminPost(path, brand, "{\"segment\":\"" + "长".repeat(65) + "\",\"requestKey\":\"k\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost(path, brand, "{\"segment\":\"a\\u0000b\",\"requestKey\":\"k\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost(path, brand, "{\"segment\":\"nobody\",\"requestKey\":\"k\"}").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/coupon-templates/none/issue-to-segment", brand, "{\"segment\":\"member-day\",\"requestKey\":\"k\"}")
                .statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/coupon-templates/t1/issue-jobs/cij_nothing", brand).statusCode()).isEqualTo(404);
        // nothing was issued by the refused requests, and no job was made
        assertThat(stored(brand, "t1")).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM coupon_issue_jobs WHERE tenant_id = ?").param(brand.tenant().id().value())
                .query(Integer.class).single()).isZero();
        // a key already used for another segment is refused rather than silently answering the other job
        adminPost("/api/v1/segments/other/static", brand, "{\"identifiers\":[\"user_id:m1\"]}");
        String job = body(adminPost(path, brand, "{\"segment\":\"other\",\"requestKey\":\"k\"}")).path("job").asString();
        awaitDone(brand, "t1", job);
        var reused = adminPost(path, brand, "{\"segment\":\"member-day\",\"requestKey\":\"k\"}");
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(body(reused).path("errors").get(0).path("rule").asString()).isEqualTo("unique");
        // another tenant cannot read the job
        assertThat(get("/api/v1/coupon-templates/t1/issue-jobs/" + job, newBrand()).statusCode()).isEqualTo(404);
    }
}
