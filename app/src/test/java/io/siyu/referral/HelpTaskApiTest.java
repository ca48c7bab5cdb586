package io.siyu.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.siyu.support.ApiTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** "Invite N friends to help" (好友助力) end to end, with a local HTTP server playing the ERP that ships the product. */
class HelpTaskApiTest extends ApiTest {

    /** One request the ERP received. */
    record Received(String messageId, String signature, String body) {}

    @Test
    void aTaskCountsEachFriendOnceRewardsTheOwnerAndTellsTheErpWithASignedRetriedWebhook() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/fulfil", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("X-Siyu-Message-Id"),
                    exchange.getRequestHeaders().getFirst("X-Siyu-Signature"), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 200, -1); // down at first, then up
            exchange.close();
        });
        erp.start();
        try {
            Brand brand = newBrand();
            String secret = registerErp(brand, "http://127.0.0.1:" + erp.getAddress().getPort() + "/fulfil");
            createHelpCampaign(brand, "full-size", 3);
            for (String user : List.of("owner", "helper-1", "helper-2", "helper-3", "helper-4")) {
                identify(brand, user);
            }

            JsonNode task = body(adminPost("/api/v1/referrals/campaigns/full-size/tasks", brand, "{\"identifier\":\"user_id:owner\"}"));
            String id = task.get("id").asString();
            assertThat(task.get("progress").asString()).isEqualTo("0/3");
            assertThat(body(adminPost("/api/v1/referrals/campaigns/full-size/tasks", brand, "{\"identifier\":\"user_id:owner\"}"))
                    .get("id").asString()).isEqualTo(id);

            assertThat(help(brand, id, "helper-1").get("counted").asBoolean()).isTrue();
            JsonNode again = help(brand, id, "helper-1");
            assertThat(again.get("counted").asBoolean()).isFalse();
            assertThat(again.get("reason").asString()).isEqualTo("helper:already-helped");
            JsonNode self = help(brand, id, "owner");
            assertThat(self.get("reason").asString()).isEqualTo("self:same-person");
            assertThat(self.get("task").get("progress").asString()).isEqualTo("1/3");
            help(brand, id, "helper-2");
            JsonNode last = help(brand, id, "helper-3");
            assertThat(last.get("counted").asBoolean()).isTrue();
            assertThat(last.get("task").get("status").asString()).isEqualTo("COMPLETED");
            assertThat(help(brand, id, "helper-4").get("reason").asString()).isEqualTo("task:completed");

            JsonNode progress = body(get("/api/v1/referrals/tasks/" + id, brand));
            assertThat(progress.get("helped").asInt()).isEqualTo(3);
            assertThat(progress.get("needed").asInt()).isEqualTo(3);
            assertThat(progress.get("helpers").findValuesAsString("who")).containsExactly("user_id:he***-1", "user_id:he***-2",
                    "user_id:he***-3");
            assertThat(progress.get("rewards").asString()).startsWith("task-owner:thanks-5=");
            assertThat(body(get("/api/v1/coupons?identifier=user_id:owner", brand)).size()).isEqualTo(1);
            assertThat(body(get("/api/v1/referrals/flags", brand)).get("helps").findValuesAsString("reason")).containsExactly("self:same-person");

            JsonNode notice = awaitNotice(brand, "SENT");
            assertThat(notice.get("attempts").asInt()).isEqualTo(2);
            assertThat(received).hasSize(2);
            for (Received r : received) {
                assertThat(r.messageId()).isEqualTo("help-" + id);
                String t = r.signature().substring(2, r.signature().indexOf(','));
                assertThat(r.signature()).endsWith(",v1=" + NoticeSender.sign(secret, Long.parseLong(t), r.body()));
                JsonNode shipped = json.readTree(r.body());
                assertThat(shipped.get("type").asString()).isEqualTo("help_task.completed");
                assertThat(shipped.get("sku").asString()).isEqualTo("SKU-FULL-50ML");
                assertThat(shipped.get("identifier").asString()).isEqualTo("user_id:owner");
                assertThat(shipped.get("task").asString()).isEqualTo(id);
            }
            assertThat(NoticeSender.sign(secret + "x", 1, received.getFirst().body())).isNotEqualTo(NoticeSender.sign(secret, 1,
                    received.getFirst().body()));
        } finally {
            erp.stop(0);
        }
    }

    @Test
    void concurrentHelpersCompleteATaskExactlyOnce() throws Exception {
        Brand brand = newBrand();
        registerErp(brand, "http://127.0.0.1:9/never"); // discard port: the notice is owed but cannot be delivered
        createHelpCampaign(brand, "rush", 5);
        identify(brand, "owner");
        for (int i = 0; i < 30; i++) {
            identify(brand, "h" + i);
        }
        String id = body(adminPost("/api/v1/referrals/campaigns/rush/tasks", brand, "{\"identifier\":\"user_id:owner\"}")).get("id").asString();
        List<Future<JsonNode>> helps = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 30; i++) {
                String helper = "h" + i;
                helps.add(threads.submit(() -> help(brand, id, helper)));
                helps.add(threads.submit(() -> help(brand, id, helper))); // every friend taps twice
            }
            int counted = 0;
            for (Future<JsonNode> f : helps) {
                counted += f.get().get("counted").asBoolean() ? 1 : 0;
            }
            assertThat(counted).isEqualTo(5);
        }
        JsonNode progress = body(get("/api/v1/referrals/tasks/" + id, brand));
        assertThat(progress.get("progress").asString()).isEqualTo("5/5");
        assertThat(progress.get("helpers").size()).isEqualTo(5);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:owner", brand)).size()).isEqualTo(1);
        JsonNode notices = body(get("/api/v1/referrals/notices", brand));
        assertThat(notices.size()).isEqualTo(1);
        assertThat(notices.get(0).get("messageId").asString()).isEqualTo("help-" + id);
    }

    @Test
    void badHelpRequestsAreRefusedAndOtherTenantsCannotSeeTasks() {
        Brand brand = newBrand();
        Brand other = newBrand();
        createHelpCampaign(brand, "full-size", 2);
        identify(brand, "owner");
        String id = body(adminPost("/api/v1/referrals/campaigns/full-size/tasks", brand, "{\"identifier\":\"user_id:owner\"}")).get("id").asString();

        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "not json").body()).contains("\"rule\":\"json\"");
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "").body()).contains("\"rule\":\"required\"");
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "{}").body()).contains("\"field\":\"identifier\"");
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "{\"identifier\":\"user_id:ghost\"}").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "{\"identifier\":\"user_id:x\",\"device\":\""
                + "d".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", brand, "{\"identifier\":\"user_id:x\",\"device\":\""
                + "d".repeat(200) + "\"}").body()).contains("\"field\":\"device\"");
        assertThat(adminPost("/api/v1/referrals/tasks/%3Cscript%3E/helps", brand, "{\"identifier\":\"user_id:owner\"}").body())
                .contains("\"field\":\"taskId\"", "\"rule\":\"format\"");
        assertThat(get("/api/v1/referrals/tasks/ABCDEFGHJK", brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/referrals/tasks/" + id, other).statusCode()).isEqualTo(404);
        identify(other, "owner");
        assertThat(adminPost("/api/v1/referrals/tasks/" + id + "/helps", other, "{\"identifier\":\"user_id:owner\"}").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/referrals/campaigns/full-size/tasks", other, "{\"identifier\":\"user_id:owner\"}").statusCode())
                .isEqualTo(404);
        assertThat(body(get("/api/v1/referrals/tasks/" + id, brand)).get("helped").asInt()).isZero();
    }

    // --- fixtures

    private void createHelpCampaign(Brand brand, String id, int needed) {
        HttpResponse<String> coupon = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"thanks-5\",\"name\":\"5元\",\"kind\":\"FIXED\","
                + "\"amountFen\":500,\"totalStock\":100,\"perPersonLimit\":1,\"validForHours\":72}");
        assertThat(coupon.statusCode()).as(coupon.body()).isIn(200, 400);
        HttpResponse<String> created = adminPost("/api/v1/referrals/campaigns", brand, """
                {"id":"%s","name":"好友助力得正装","kind":"HELP","startsAt":"%s","endsAt":"%s","landingUrl":"https://brand.example/help",
                 "helpersNeeded":%d,"taskHours":48,"friendRewards":["thanks-5"],"fulfilmentWebhook":"erp","fulfilmentSku":"SKU-FULL-50ML"}"""
                .formatted(id, ReferralApiTest.earlier(), ReferralApiTest.later(), needed));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private String registerErp(Brand brand, String url) {
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(url("/api/v1/webhooks/erp")))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}")).build());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        return body(registered).get("secret").asString();
    }

    private void identify(Brand brand, String user) {
        assertThat(post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\"}").statusCode()).isEqualTo(200);
    }

    private JsonNode help(Brand brand, String task, String helper) {
        HttpResponse<String> response = adminPost("/api/v1/referrals/tasks/" + task + "/helps", brand,
                "{\"identifier\":\"user_id:" + helper + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    private JsonNode awaitNotice(Brand brand, String status) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            JsonNode notices = body(get("/api/v1/referrals/notices", brand));
            if (notices.size() == 1 && notices.get(0).get("status").asString().equals(status)) {
                return notices.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the notice never became " + status + ": " + notices);
            }
            Thread.sleep(100);
        }
    }
}
