package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.siyu.support.ApiTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Templates, sends through the outbox, the inbox, webhooks with retries and dead letters, tracking. */
class ChannelApiTest extends ApiTest {

    @Autowired
    Tracking tracking;

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode awaitStatus(Brand brand, String messageId, String status) {
        JsonNode[] last = new JsonNode[1];
        eventually(Duration.ofSeconds(20), () -> {
            last[0] = body(get("/api/v1/messages/" + messageId, brand));
            return status.equals(last[0].path("status").asString());
        }, () -> "message " + messageId + " never became " + status + ": " + last[0]);
        return last[0];
    }

    private JsonNode awaitEvent(Brand brand, String identifier, String event, int count) {
        JsonNode[] last = new JsonNode[1];
        eventually(Duration.ofSeconds(10), () -> {
            last[0] = profile(brand, identifier);
            return last[0].path("stats").path("eventCounts").path(event).asInt() == count;
        }, () -> identifier + " never had " + count + " '" + event + "': " + last[0]);
        return last[0];
    }

    /** Ingestion acknowledges once the event is durable; the profile follows a moment later. */
    private void awaitProfile(Brand brand, String identifier) {
        eventually(Duration.ofSeconds(10), () -> get("/api/v1/profiles?identifier=" + identifier, brand).statusCode() == 200,
                () -> identifier + " never became a profile");
    }

    static void eventually(Duration within, java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Test
    void savesATemplateListsItsVariablesAndPreviewsItInChinese() {
        Brand brand = newBrand();
        var saved = put("/api/v1/message-templates/welcome", brand,
                "{\"channel\":\"inapp\",\"subject\":\"欢迎 {{name|朋友}}\",\"body\":\"{{name}}，您的{{coupon}}已到账\"}");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(body(saved).path("variables").toString()).isEqualTo("[\"name\",\"coupon\"]");
        var preview = adminPost("/api/v1/message-templates/welcome/preview", brand, "{\"variables\":{\"name\":\"韩梅梅\",\"coupon\":\"满199减50券\"}}");
        assertThat(body(preview).path("body").asString()).isEqualTo("韩梅梅，您的满199减50券已到账");
        assertThat(body(preview).path("subject").asString()).isEqualTo("欢迎 韩梅梅");
        var missing = adminPost("/api/v1/message-templates/welcome/preview", brand, "{\"variables\":{}}");
        assertThat(body(missing).path("missing").toString()).isEqualTo("[\"name\",\"coupon\"]");
        assertThat(body(get("/api/v1/message-templates", brand)).size()).isEqualTo(1);
    }

    @Test
    void rejectsMalformedOversizedAndHostileTemplatesNamingTheField() {
        Brand brand = newBrand();
        var unclosed = put("/api/v1/message-templates/t1", brand, "{\"channel\":\"inapp\",\"body\":\"你好 {{name\"}");
        assertThat(unclosed.statusCode()).isEqualTo(400);
        assertThat(body(unclosed).path("errors").get(0).path("rule").asString()).isEqualTo("syntax");
        var unknownChannel = put("/api/v1/message-templates/t1", brand, "{\"channel\":\"fax\",\"body\":\"x\"}");
        assertThat(body(unknownChannel).path("errors").get(0).path("field").asString()).isEqualTo("channel");
        var huge = put("/api/v1/message-templates/t1", brand, "{\"channel\":\"inapp\",\"body\":\"" + "长".repeat(20_001) + "\"}");
        assertThat(body(huge).path("errors").get(0).path("rule").asString()).isEqualTo("max-length");
        var hostileName = put("/api/v1/message-templates/a%3Cscript%3E", brand, "{\"channel\":\"inapp\",\"body\":\"x\"}");
        assertThat(body(hostileName).path("errors").get(0).path("field").asString()).isEqualTo("name");
        var notJson = put("/api/v1/message-templates/t1", brand, "{\"channel\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/message-templates/nope", brand).statusCode()).isEqualTo(404);
    }

    @Test
    void sendsToTheInboxOnceForARepeatedKeyAndTheFirstReadIsAnOpen() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"in-1\",\"traits\":{\"name\":\"李雷\"}}");
        awaitProfile(brand, "user_id:in-1");
        put("/api/v1/message-templates/notice", brand, "{\"channel\":\"inapp\",\"subject\":\"通知\",\"body\":\"{{name}}，订单{{order}}已发货\",\"marketing\":false}");
        String request = "{\"identifier\":\"user_id:in-1\",\"template\":\"notice\",\"variables\":{\"order\":\"SO-1\"},\"idempotencyKey\":\"k-1\"}";
        JsonNode first = body(adminPost("/api/v1/messages", brand, request));
        JsonNode again = body(adminPost("/api/v1/messages", brand, request));
        assertThat(first.path("outcome").asString()).isEqualTo("queued");
        assertThat(again.path("messageId").asString()).isEqualTo(first.path("messageId").asString());
        awaitStatus(brand, first.path("messageId").asString(), "SENT");
        String person = profile(brand, "user_id:in-1").path("id").asString();
        JsonNode inbox = body(get("/api/v1/inbox/" + person, brand));
        assertThat(inbox.path("items").size()).isEqualTo(1);
        assertThat(inbox.path("unread").asInt()).isEqualTo(1);
        assertThat(inbox.path("items").get(0).path("body").asString()).isEqualTo("李雷，订单SO-1已发货");
        awaitEvent(brand, "user_id:in-1", "Message Delivered", 1);
        long id = inbox.path("items").get(0).path("id").asLong();
        assertThat(body(adminPost("/api/v1/inbox/" + person + "/" + id + "/read", brand, "")).path("firstRead").asBoolean()).isTrue();
        assertThat(body(adminPost("/api/v1/inbox/" + person + "/" + id + "/read", brand, "")).path("firstRead").asBoolean()).isFalse();
        awaitEvent(brand, "user_id:in-1", "Message Opened", 1);
        assertThat(body(get("/api/v1/inbox/" + person + "?unread=true", brand)).path("items").size()).isZero();
        assertThat(adminPost("/api/v1/inbox/" + person + "/999999/read", brand, "").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/inbox/not-a-uuid", brand).statusCode()).isEqualTo(400);
    }

    @Test
    void refusesSendsItCannotMakeNamingTheReason() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"in-2\"}");
        awaitProfile(brand, "user_id:in-2");
        put("/api/v1/message-templates/hi", brand, "{\"channel\":\"inapp\",\"body\":\"{{name}}\"}");
        var missing = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:in-2\",\"template\":\"hi\"}");
        assertThat(body(missing).path("errors").get(0).path("message").asString()).contains("missing-variables:name");
        var nobody = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:ghost\",\"template\":\"hi\"}");
        assertThat(nobody.statusCode()).isEqualTo(404);
        var badId = adminPost("/api/v1/messages", brand, "{\"identifier\":\"ghost\",\"template\":\"hi\"}");
        assertThat(body(badId).path("errors").get(0).path("field").asString()).isEqualTo("identifier");
        var notEnabled = put("/api/v1/message-templates/mail", brand, "{\"channel\":\"email\",\"body\":\"x\"}");
        assertThat(notEnabled.statusCode()).isEqualTo(200);
        var mail = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:in-2\",\"template\":\"mail\"}");
        assertThat(body(mail).path("errors").get(0).path("message").asString()).contains("channel:not-enabled:email");
    }

    @Test
    void signsWebhooksRetriesWithBackoffAndDeliversOnTheThirdAttempt() throws IOException {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"wh-1\"}");
        awaitProfile(brand, "user_id:wh-1");
        AtomicInteger calls = new AtomicInteger();
        List<String> verified = new CopyOnWriteArrayList<>();
        HttpServer erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String[] secret = new String[1];
        erp.createContext("/hook", exchange -> {
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("X-Siyu-Signature");
            String t = signature.substring(2, signature.indexOf(','));
            if (signature.endsWith("v1=" + WebhookChannel.sign(secret[0], Long.parseLong(t), payload))) {
                verified.add(exchange.getRequestHeaders().getFirst("X-Siyu-Message-Id") + " " + payload);
            }
            exchange.sendResponseHeaders(calls.incrementAndGet() < 3 ? 503 : 204, -1);
            exchange.close();
        });
        erp.start();
        try {
            JsonNode endpoint = body(put("/api/v1/webhooks/erp", brand, "{\"url\":\"http://127.0.0.1:" + erp.getAddress().getPort() + "/hook\"}"));
            secret[0] = endpoint.path("secret").asString();
            assertThat(secret[0]).startsWith("whsec_");
            assertThat(body(get("/api/v1/webhooks", brand)).toString()).doesNotContain(secret[0]);
            put("/api/v1/message-templates/fulfil", brand, "{\"channel\":\"webhook\",\"body\":\"发货 {{sku}}\",\"marketing\":false}");
            JsonNode sent = body(adminPost("/api/v1/messages", brand,
                    "{\"identifier\":\"user_id:wh-1\",\"template\":\"fulfil\",\"endpoint\":\"erp\",\"variables\":{\"sku\":\"正装-01\"}}"));
            JsonNode done = awaitStatus(brand, sent.path("messageId").asString(), "SENT");
            assertThat(done.path("attempts").asInt()).isEqualTo(3);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(verified).hasSize(3).allSatisfy(v -> assertThat(v).startsWith(sent.path("messageId").asString())
                    .contains("\"text\":\"发货 正装-01\""));
        } finally {
            erp.stop(0);
        }
    }

    @Test
    void aRefusedWebhookLandsInTheDeadLetterListAndAReplayDeliversIt() throws IOException {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"wh-2\"}");
        awaitProfile(brand, "user_id:wh-2");
        AtomicInteger answer = new AtomicInteger(422);
        HttpServer crm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        crm.createContext("/in", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        crm.start();
        try {
            put("/api/v1/webhooks/crm", brand, "{\"url\":\"http://127.0.0.1:" + crm.getAddress().getPort() + "/in\"}");
            put("/api/v1/message-templates/sync", brand, "{\"channel\":\"webhook\",\"body\":\"同步\",\"marketing\":false}");
            String id = body(adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:wh-2\",\"template\":\"sync\",\"endpoint\":\"crm\"}"))
                    .path("messageId").asString();
            assertThat(awaitStatus(brand, id, "FAILED").path("lastError").asString()).isEqualTo("HTTP 422");
            assertThat(body(get("/api/v1/messages/dead-letters?channel=webhook", brand)).get(0).path("messageId").asString()).isEqualTo(id);
            answer.set(200);
            assertThat(adminPost("/api/v1/messages/" + id + "/replay", brand, "").statusCode()).isEqualTo(200);
            awaitStatus(brand, id, "SENT");
            assertThat(body(get("/api/v1/messages/dead-letters", brand)).size()).isZero();
            assertThat(adminPost("/api/v1/messages/" + id + "/replay", brand, "").statusCode()).isEqualTo(404);
        } finally {
            crm.stop(0);
        }
    }

    @Test
    void rejectsWebhookEndpointsThatAreNotWebUrls() {
        Brand brand = newBrand();
        var file = put("/api/v1/webhooks/x", brand, "{\"url\":\"file:///etc/passwd\"}");
        assertThat(body(file).path("errors").get(0).path("rule").asString()).isEqualTo("http-url");
    }

    @Test
    void tracksClicksAndOpensOnlyForLinksItSignedAndNeverRedirectsElsewhere() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"tr-1\"}");
        awaitProfile(brand, "user_id:tr-1");
        // transactional, so that quiet hours (22:00–08:00 in the person's zone) never defer it: this test is about tracking
        put("/api/v1/message-templates/n", brand, "{\"channel\":\"inapp\",\"body\":\"看看\",\"marketing\":false}");
        String id = body(adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:tr-1\",\"template\":\"n\"}")).path("messageId").asString();
        awaitStatus(brand, id, "SENT");
        String click = tracking.clickUrl(brand.tenant().id(), id, "https://shop.example.cn/双11?a=1");
        String path = click.substring(click.indexOf("/t/c/"));
        HttpResponse<String> redirect = send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("https://shop.example.cn/%E5%8F%8C11?a=1");
        awaitEvent(brand, "user_id:tr-1", "Message Clicked", 1);
        String token = path.substring("/t/c/".length());
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (brand.tenant().id().value() + "\n" + id + "\nhttps://evil.example.com/").getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(url("/t/c/" + forged))).GET().build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/t/c/garbage"))).GET().build()).statusCode()).isEqualTo(400);
        String pixel = tracking.pixelUrl(brand.tenant().id(), id);
        HttpResponse<byte[]> gif;
        try {
            gif = http.send(HttpRequest.newBuilder(URI.create(url(pixel.substring(pixel.indexOf("/t/o/"))))).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(gif.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(gif.body()).startsWith((byte) 'G', (byte) 'I', (byte) 'F');
        awaitEvent(brand, "user_id:tr-1", "Message Opened", 1);
    }
}
