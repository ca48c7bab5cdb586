package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ContentGate;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ContentComplianceApiTest extends ApiTest {

    @Autowired
    ContentGate gate;

    @Test
    void checkAnswersVerdictAndFindingsInOriginalOffsets() {
        Brand brand = newBrand();
        HttpResponse<String> response = adminPost("/api/v1/compliance/check", brand, "{\"text\":\"全网 最低价，国家级品质\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.get("verdict").asString()).isEqualTo("block");
        JsonNode first = body.get("findings").get(0);
        assertThat(first.get("category").asString()).isEqualTo("advertising");
        assertThat(first.get("term").asString()).isEqualTo("全网最低");
        assertThat(first.get("start").asInt()).isEqualTo(0);
        assertThat(first.get("end").asInt()).isEqualTo(5);
        assertThat(first.get("rule").asString()).isEqualTo("ad-law.absolute");
    }

    @Test
    void harmlessCopyPasses() {
        Brand brand = newBrand();
        JsonNode body = body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"第一次下单立减5元，活动最后一天\"}"));
        assertThat(body.get("verdict").asString()).isEqualTo("pass");
        assertThat(body.get("findings").size()).isZero();
    }

    @Test
    void malformedOversizedAndHostileInputGetProblems() {
        Brand brand = newBrand();
        HttpResponse<String> missing = adminPost("/api/v1/compliance/check", brand, "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"field\":\"text\"", "\"rule\":\"required\"");
        assertThat(adminPost("/api/v1/compliance/check", brand, "{\"text\":").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/compliance/check", brand, "{\"text\":{\"a\":1}}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/compliance/check", brand, "[1,2]").statusCode()).isEqualTo(400);

        HttpResponse<String> huge = adminPost("/api/v1/compliance/check", brand,
                "{\"text\":\"" + "好".repeat(Inputs.MAX_TEXT + 1) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(huge.body()).contains("\"field\":\"text\"");

        String hostile = "{\"text\":\"最\\u0000佳\\ud800\\u202e\\u200b第一<script>alert(1)</script>\"}";
        HttpResponse<String> weird = adminPost("/api/v1/compliance/check", brand, hostile);
        assertThat(weird.statusCode()).isEqualTo(200);
        assertThat(body(weird).get("verdict").asString()).isEqualTo("block");

        HttpResponse<String> unauthenticated = send(HttpRequest.newBuilder(URI.create(url("/api/v1/compliance/check")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
    }

    @Test
    void reviewVerdictsQueueTheCopyOnceAndTheDecisionSticksToIt() {
        Brand brand = newBrand();
        String copy = "{\"text\":\"这款是今年最火的颜色\"}";
        JsonNode first = body(adminPost("/api/v1/compliance/check", brand, copy));
        JsonNode second = body(adminPost("/api/v1/compliance/check", brand, copy));
        assertThat(first.get("verdict").asString()).isEqualTo("review");
        long id = first.get("review").get("id").asLong();
        assertThat(second.get("review").get("id").asLong()).isEqualTo(id);

        JsonNode pending = body(get("/api/v1/compliance/reviews?status=pending", brand));
        assertThat(pending.get("items").size()).isEqualTo(1);
        assertThat(pending.get("items").get(0).get("text").asString()).isEqualTo("这款是今年最火的颜色");

        HttpResponse<String> approved = adminPost("/api/v1/compliance/reviews/" + id + "/approve", brand, "{\"note\":\"已核实\"}");
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(body(approved).get("decidedBy").asString()).isEqualTo("admin");
        assertThat(body(adminPost("/api/v1/compliance/check", brand, copy)).get("verdict").asString()).isEqualTo("pass");
        assertThat(gate.check(brand.tenant().id(), "这款是今年最火的颜色").verdict()).isEqualTo(ContentGate.Verdict.PASS);

        HttpResponse<String> twice = adminPost("/api/v1/compliance/reviews/" + id + "/reject", brand, "{}");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("\"rule\":\"pending\"");
        assertThat(adminPost("/api/v1/compliance/reviews/999999999/approve", brand, "{}").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/compliance/reviews/" + id, newBrand()).statusCode()).isEqualTo(404);
    }

    @Test
    void theGateQueuesOutgoingCopyAndARejectionBlocksIt() {
        Brand brand = newBrand();
        String text = "预期年化收益 6% ，欢迎咨询";
        assertThat(gate.check(brand.tenant().id(), text).verdict()).isEqualTo(ContentGate.Verdict.REVIEW);
        JsonNode item = body(get("/api/v1/compliance/reviews", brand)).get("items").get(0);
        assertThat(item.get("source").asString()).isEqualTo("gate");
        assertThat(item.get("findings").get(0).get("rule").asString()).isEqualTo("finance.return-figure-needs-disclaimer");
        adminPost("/api/v1/compliance/reviews/" + item.get("id").asLong() + "/reject", brand, "{}");
        assertThat(gate.check(brand.tenant().id(), text).verdict()).isEqualTo(ContentGate.Verdict.BLOCK);
        assertThat(gate.check(brand.tenant().id(), text + "（非保证收益）").verdict()).isEqualTo(ContentGate.Verdict.PASS);
    }

    @Test
    void userGeneratedContentIsStoredWithItsVerdict() {
        Brand brand = newBrand();
        HttpResponse<String> clean = adminPost("/api/v1/compliance/reviews", brand, "{\"text\":\"很好用，推荐\",\"reference\":\"comment-1\"}");
        assertThat(clean.statusCode()).isEqualTo(201);
        assertThat(body(clean).get("status").asString()).isEqualTo("approved");
        JsonNode doubtful = body(adminPost("/api/v1/compliance/reviews", brand, "{\"text\":\"用了之后最舒服\",\"reference\":\"comment-2\"}"));
        assertThat(doubtful.get("status").asString()).isEqualTo("pending");
        JsonNode again = body(adminPost("/api/v1/compliance/reviews", brand, "{\"text\":\"用了之后最舒服\",\"reference\":\"comment-3\"}"));
        assertThat(again.get("id").asLong()).isNotEqualTo(doubtful.get("id").asLong());
        JsonNode bad = body(adminPost("/api/v1/compliance/reviews", brand, "{\"text\":\"包治百病\"}"));
        assertThat(bad.get("status").asString()).isEqualTo("rejected");

        List<String> pending = new ArrayList<>();
        body(get("/api/v1/compliance/reviews?status=pending&limit=1", brand)).get("items")
                .forEach(i -> pending.add(i.get("reference").asString()));
        assertThat(pending).containsExactly("comment-2");
        assertThat(get("/api/v1/compliance/reviews?status=maybe", brand).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/compliance/reviews?limit=0", brand).statusCode()).isEqualTo(400);
    }

    @Test
    void aTenantListTakesEffectWithoutRestartAndOnlyForThatTenant() {
        Brand brand = newBrand();
        Brand other = newBrand();
        assertThat(body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"比竞品甲好\"}")).get("verdict").asString())
                .isEqualTo("pass");
        HttpResponse<String> created = adminPut("/api/v1/compliance/lists/competitors", brand,
                "{\"kind\":\"block\",\"terms\":[\"竞品甲\",\"竞品甲\",\" 竞品乙 \"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(body(created).get("terms").size()).isEqualTo(2);

        JsonNode checked = body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"比竞品甲好\"}"));
        assertThat(checked.get("verdict").asString()).isEqualTo("block");
        assertThat(checked.get("findings").get(0).get("rule").asString()).isEqualTo("tenant:competitors");
        assertThat(body(adminPost("/api/v1/compliance/check", other, "{\"text\":\"比竞品甲好\"}")).get("verdict").asString())
                .isEqualTo("pass");

        adminPost("/api/v1/compliance/lists/competitors/terms/remove", brand, "{\"terms\":[\"竞品甲\"]}");
        assertThat(body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"比竞品甲好\"}")).get("verdict").asString())
                .isEqualTo("pass");
        adminPost("/api/v1/compliance/lists/competitors/terms", brand, "{\"terms\":[\"竞品丙\"]}");
        assertThat(body(get("/api/v1/compliance/lists/competitors", brand)).get("terms").toString())
                .isEqualTo("[\"竞品乙\",\"竞品丙\"]");

        adminPut("/api/v1/compliance/lists/ok", brand, "{\"kind\":\"allow\",\"terms\":[\"第一名额\"]}");
        assertThat(body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"抢第一名额\"}")).get("verdict").asString())
                .isEqualTo("pass");

        assertThat(adminDelete("/api/v1/compliance/lists/ok", brand).statusCode()).isEqualTo(204);
        assertThat(adminDelete("/api/v1/compliance/lists/ok", brand).statusCode()).isEqualTo(404);
        assertThat(body(adminPost("/api/v1/compliance/check", brand, "{\"text\":\"抢第一名额\"}")).get("verdict").asString())
                .isEqualTo("block");
        assertThat(body(get("/api/v1/compliance/lists", brand)).size()).isEqualTo(1);
    }

    @Test
    void listInputIsValidated() {
        Brand brand = newBrand();
        assertThat(adminPut("/api/v1/compliance/lists/x", brand, "{\"terms\":[\"a\"]}").body()).contains("\"rule\":\"required\"");
        assertThat(adminPut("/api/v1/compliance/lists/x", brand, "{\"kind\":\"maybe\",\"terms\":[\"a\"]}").body())
                .contains("\"rule\":\"enum\"");
        HttpResponse<String> punctuation = adminPut("/api/v1/compliance/lists/x", brand, "{\"kind\":\"block\",\"terms\":[\"ok\",\"！！\",null]}");
        assertThat(punctuation.statusCode()).isEqualTo(400);
        assertThat(punctuation.body()).contains("terms[1]", "terms[2]", "\"rule\":\"matchable\"");
        assertThat(adminPut("/api/v1/compliance/lists/x", brand, "{\"kind\":\"block\",\"terms\":[\"" + "长".repeat(65) + "\"]}")
                .body()).contains("\"rule\":\"max-length\"");
        assertThat(adminPut("/api/v1/compliance/lists/" + "n".repeat(65), brand, "{\"kind\":\"block\",\"terms\":[\"a\"]}")
                .statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder("{\"kind\":\"block\",\"terms\":[");
        for (int i = 0; i <= LexiconListController.MAX_TERMS; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertThat(adminPut("/api/v1/compliance/lists/x", brand, many.append("]}").toString()).statusCode()).isEqualTo(413);
        assertThat(adminPost("/api/v1/compliance/lists/none/terms", brand, "{\"terms\":[\"a\"]}").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> adminPut(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> adminDelete(String path, Brand brand) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).DELETE().build());
    }
}
