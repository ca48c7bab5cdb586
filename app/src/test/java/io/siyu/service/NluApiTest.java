package io.siyu.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NluApiTest extends ApiTest {

    @Test
    void answersIntentEntitiesAndSentiment() {
        Brand brand = newBrand();
        var response = adminPost("/api/v1/service/nlu", brand, "{\"text\":\"订单号20231105887766到哪了？我的手机13812345678\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.path("intent").asString()).isEqualTo("order_status");
        assertThat(body.path("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(body.path("entities").toString())
                .contains("{\"type\":\"order_number\",\"value\":\"20231105887766\",\"start\":3,\"end\":17}")
                .contains("{\"type\":\"phone\",\"value\":\"13812345678\",\"start\":25,\"end\":36}");
        assertThat(body.path("sentiment").path("label").asString()).isEqualTo("neutral");
    }

    @Test
    void detectsAnger() {
        Brand brand = newBrand();
        JsonNode body = body(adminPost("/api/v1/service/nlu", brand, "{\"text\":\"垃圾服务！！再不退钱我就去12315投诉😡\"}"));
        assertThat(body.path("intent").asString()).isEqualTo("complaint");
        assertThat(body.path("sentiment").path("label").asString()).isEqualTo("angry");
        assertThat(body.path("sentiment").path("score").asDouble()).isLessThan(-0.5);
    }

    @Test
    void rejectsMissingBlankOversizedAndMalformedText() {
        Brand brand = newBrand();
        var missing = adminPost("/api/v1/service/nlu", brand, "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing).path("errors").get(0).path("field").asString()).isEqualTo("text");
        assertThat(adminPost("/api/v1/service/nlu", brand, "{\"text\":\"   \"}").statusCode()).isEqualTo(400);
        var oversized = adminPost("/api/v1/service/nlu", brand, "{\"text\":\"" + "啊".repeat(2001) + "\"}");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(adminPost("/api/v1/service/nlu", brand, "{\"text\":").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/nlu", brand, "{\"text\":42}").statusCode()).isIn(200, 400);
    }

    @Test
    void hostileAndDuplicateTextIsHandledAsPlainText() {
        Brand brand = newBrand();
        String hostile = "{\"text\":\"<script>alert(1)</script>'; DROP TABLE service_message;-- \\u0000\\ud83d\"}";
        var first = adminPost("/api/v1/service/nlu", brand, hostile);
        assertThat(first.statusCode()).isEqualTo(200);
        var again = adminPost("/api/v1/service/nlu", brand, hostile);
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void requiresTheAdminToken() {
        var response = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/service/nlu")))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"你好\"}")).build());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
