package io.siyu.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KnowledgeApiTest extends ApiTest {

    private JsonNode faq(Brand brand, String question, String answer, List<String> alternates) {
        var response = adminPost("/api/v1/service/faqs", brand, json.writeValueAsString(Map.of("question", question, "answer", answer, "alternates", alternates)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return body(response);
    }

    private JsonNode ask(Brand brand, String text) {
        return body(adminPost("/api/v1/service/faqs/answer", brand, json.writeValueAsString(Map.of("text", text))));
    }

    @Test
    void answersFromTheFaqWithSynonymsAndTraditionalCharacters() {
        Brand brand = newBrand();
        long id = faq(brand, "物流信息在哪里查看", "在「我的订单」点开订单即可看到物流轨迹。", List.of()).path("id").asLong();
        faq(brand, "七天无理由退货的运费谁承担", "质量问题由我们承担运费，无理由退货运费由买家承担。", List.of("退货运费谁出"));
        JsonNode synonym = ask(brand, "快递信息在哪里查看");
        assertThat(synonym.path("answered").asBoolean()).isTrue();
        assertThat(synonym.path("source").asString()).isEqualTo("faq:" + id);
        assertThat(synonym.path("confidence").asDouble()).isBetween(0.3, 1.0);
        assertThat(ask(brand, "退貨運費誰出").path("answer").asString()).contains("运费");
        assertThat(ask(brand, "你们老板是谁").path("answered").asBoolean()).isFalse();
        JsonNode stats = body(get("/api/v1/service/faqs/stats", brand));
        assertThat(stats.path("lookups").asInt()).isEqualTo(3);
        assertThat(stats.path("hitRate").asDouble()).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(body(get("/api/v1/service/faqs/" + id, brand)).path("hits").asInt()).isEqualTo(1);
    }

    @Test
    void theBotAnswersAPolicyQuestionFromTheFaqInsteadOfStartingAReturn() {
        Brand brand = newBrand();
        faq(brand, "七天无理由退货的运费谁承担", "质量问题由我们承担运费，无理由退货运费由买家承担。", List.of("退货运费谁出"));
        String c = body(adminPost("/api/v1/service/conversations", brand, "{\"person\":\"user_id:kb-1\"}")).path("id").asString();
        JsonNode turn = body(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, "{\"text\":\"退货运费谁出啊\"}"));
        assertThat(turn.path("reply").asString()).contains("买家承担");
    }

    @Test
    void updatesAndDeletesReindex() {
        Brand brand = newBrand();
        long id = faq(brand, "发票怎么开", "旧答案", List.of()).path("id").asLong();
        assertThat(ask(brand, "发票怎么开").path("answer").asString()).isEqualTo("旧答案");
        var updated = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/service/faqs/" + id)))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"question\":\"发票怎么开\",\"answer\":\"新答案\"}")).build());
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(ask(brand, "发票怎么开").path("answer").asString()).isEqualTo("新答案");
        var deleted = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/service/faqs/" + id)))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(ask(brand, "发票怎么开").path("answered").asBoolean()).isFalse();
        assertThat(get("/api/v1/service/faqs/" + id, brand).statusCode()).isEqualTo(404);
    }

    @Test
    void unansweredQuestionsBecomeSuggestedFaqs() {
        Brand brand = newBrand();
        String c = body(adminPost("/api/v1/service/conversations", brand, "{\"person\":\"user_id:kb-2\"}")).path("id").asString();
        for (String text : List.of("你们支持以旧换新吗", "以旧换新怎么弄")) {
            adminPost("/api/v1/service/conversations/" + c + "/messages", brand, json.writeValueAsString(Map.of("text", text)));
        }
        String c2 = body(adminPost("/api/v1/service/conversations", brand, "{\"person\":\"user_id:kb-3\"}")).path("id").asString();
        adminPost("/api/v1/service/conversations/" + c2 + "/messages", brand, json.writeValueAsString(Map.of("text", "可以以旧换新吗")));
        JsonNode suggestions = body(get("/api/v1/service/faqs/suggestions", brand));
        assertThat(suggestions.get(0).path("count").asInt()).as(suggestions.toString()).isGreaterThanOrEqualTo(2);
        assertThat(suggestions.get(0).path("question").asString()).contains("以旧换新");
    }

    @Test
    void rejectsBadFaqs() {
        Brand brand = newBrand();
        var missing = adminPost("/api/v1/service/faqs", brand, "{\"answer\":\"x\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing).path("errors").get(0).path("field").asString()).isEqualTo("question");
        assertThat(adminPost("/api/v1/service/faqs", brand, json.writeValueAsString(Map.of("question", "q", "answer", "a".repeat(4001)))).statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/faqs", brand, "{\"question\":\"q\",\"answer\":\"a\",\"alternates\":[\"\"]}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/faqs", brand, "[").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/service/faqs/suggestions?limit=0", brand).statusCode()).isEqualTo(400);
        JsonNode dup1 = faq(brand, "重复的问题", "答案", List.of("别的问法", "别的问法"));
        assertThat(dup1.path("alternates").size()).isEqualTo(1);
    }
}
