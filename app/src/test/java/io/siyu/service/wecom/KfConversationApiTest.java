package io.siyu.service.wecom;

import static io.siyu.service.wecom.LocalWeComServer.customerText;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Customer service over WeCom Customer Service end to end: real encrypted, signed
 * {@code kf_msg_or_event} callbacks to the running server, messages pulled from a local server
 * speaking the WeCom API ({@link LocalWeComServer}), the bot's and the agent's replies sent back
 * through its {@code kf/send_msg}, over embedded PostgreSQL.
 */
class KfConversationApiTest extends ApiTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KF = "wkAJ2GCAAAZSfhHCt7IFSv";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KfOutbox outbox;

    private Brand brand;
    private LocalWeComServer wecom;
    private String token;
    private String aesKey;

    @BeforeEach
    void aBrandWithAWeComAppAndCustomerService() throws Exception {
        brand = newBrand();
        String corpId = "ww" + alphanumeric(16).toLowerCase();
        token = alphanumeric(24);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        aesKey = Base64.getEncoder().withoutPadding().encodeToString(key);
        wecom = new LocalWeComServer(corpId, "kfSecret-" + alphanumeric(20));
        HttpResponse<String> app = adminPut("/api/v1/wecom/config", """
                {"corpId": "%s", "token": "%s", "encodingAesKey": "%s", "agentId": "1000002"}""".formatted(corpId, token, aesKey));
        assertThat(app.statusCode()).as(app.body()).isEqualTo(200);
        HttpResponse<String> kf = adminPut("/api/v1/wecom/customer-service",
                "{\"secret\": \"" + wecom.secret + "\", \"apiBase\": \"" + wecom.url() + "\"}");
        assertThat(kf.statusCode()).as(kf.body()).isEqualTo(200);
        assertThat(kf.body()).doesNotContain(wecom.secret).contains("\"hasSecret\":true");
    }

    @AfterEach
    void stop() {
        wecom.close();
    }

    @Test
    void theBotAnswersCustomerTextsPulledPageByPage() {
        wecom.pageSize = 2;
        String customer = "wmCustomer-" + alphanumeric(8);
        wecom.add(KF, customerText("m1-" + customer, KF, customer, "在吗"),
                customerText("m2-" + customer, KF, customer, "优惠券怎么用"),
                customerText("m3-" + customer, KF, customer, "谢谢，再见"));

        assertThat(callback("tok1" + alphanumeric(8)).statusCode()).isEqualTo(200);

        await(() -> wecom.sentTo(customer).size() >= 3);
        JsonNode conversation = conversation(customer);
        assertThat(conversation.path("channel").asString()).isEqualTo("wecom");
        assertThat(conversation.path("person").asString()).isEqualTo("wecom_external_userid:" + customer);
        List<String> transcript = conversation.path("messages").valueStream().map(m -> m.path("sender").asString() + ":" + m.path("text").asString()).toList();
        assertThat(transcript).hasSize(6);
        assertThat(transcript.get(0)).isEqualTo("person:在吗");
        assertThat(transcript.get(2)).isEqualTo("person:优惠券怎么用");
        assertThat(conversation.path("messages").get(2).path("intent").asString()).isEqualTo("coupon");
        List<String> botReplies = conversation.path("messages").valueStream().filter(m -> m.path("sender").asString().equals("bot"))
                .map(m -> m.path("text").asString()).toList();
        assertThat(wecom.sentTo(customer)).extracting(LocalWeComServer.Sent::text).containsExactlyElementsOf(botReplies);
        assertThat(wecom.sentTo(customer)).allSatisfy(s -> assertThat(s.openKfId()).isEqualTo(KF));
        assertThat(wecom.syncRequests.get()).as("three messages in pages of two").isEqualTo(2);
        await(() -> "c3".equals(cursor()));
    }

    @Test
    void duplicateCallbacksAndAReplayedPageTakeEachMessageOnce() throws Exception {
        String customer = "wmDup-" + alphanumeric(8);
        wecom.add(KF, customerText("d1-" + customer, KF, customer, "积分怎么查"), customerText("d2-" + customer, KF, customer, "发票怎么开"));
        String callbackToken = "tokdup" + alphanumeric(8);
        wecom.announce(callbackToken);
        Signed callback = signed(kfEvent(callbackToken, KF));
        double pulls = pulls();

        // WeCom retries: the same callback three times, two of them at once
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> post(callback));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> post(callback));
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(post(callback).statusCode()).isEqualTo(200);
        await(() -> pulls() >= pulls + 3);

        assertThat(conversation(customer).path("messages").size()).isEqualTo(4);
        await(() -> wecom.sentTo(customer).size() == 2);

        // the cursor is lost (e.g. restored backup): WeCom serves the page again, nothing is taken twice
        jdbc.sql("DELETE FROM service_wecom_kf_cursors WHERE tenant_id = ?").param(brand.tenant().id().value()).update();
        assertThat(post(callback).statusCode()).isEqualTo(200);
        await(() -> pulls() >= pulls + 4);
        assertThat(cursor()).isEqualTo("c2");
        assertThat(conversation(customer).path("messages").size()).isEqualTo(4);
        assertThat(wecom.sentTo(customer)).hasSize(2);
        assertThat(jdbc.sql("SELECT count(*) FROM service_wecom_kf_threads WHERE external_userid = ?").param(customer).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void whileAHumanOwnsTheConversationTheBotIsSilentAndTheAgentsReplyGoesOut() {
        String customer = "wmHuman-" + alphanumeric(8);
        wecom.add(KF, customerText("h1-" + customer, KF, customer, "转人工"));
        callback("tokh1" + alphanumeric(8));
        await(() -> wecom.sentTo(customer).size() == 1); // the bot says it is handing over
        JsonNode conversation = conversation(customer);
        assertThat(conversation.path("owner").asString()).isEqualTo("human");
        long ticket = jdbc.sql("SELECT id FROM service_tickets WHERE conversation_id = ?").param(UUID.fromString(conversation.path("id").asString()))
                .query(Long.class).single();

        double pulls = pulls();
        wecom.add(KF, customerText("h2-" + customer, KF, customer, "快点啊，我等着呢"));
        callback("tokh2" + alphanumeric(8));
        await(() -> pulls() >= pulls + 1);
        assertThat(conversation(customer).path("messages").size()).isEqualTo(3);
        assertThat(wecom.sentTo(customer)).as("the bot does not answer while a human owns the conversation").hasSize(1);

        HttpResponse<String> reply = adminPost("/api/v1/service/tickets/" + ticket + "/messages", brand,
                "{\"agent\":\"alice\",\"text\":\"您好，我是客服小李，马上为您处理\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        await(() -> wecom.sentTo(customer).size() == 2);
        assertThat(wecom.sentTo(customer).get(1).text()).isEqualTo("您好，我是客服小李，马上为您处理");
        assertThat(wecom.sentTo(customer).get(1).openKfId()).isEqualTo(KF);
    }

    @Test
    void hostileAndForeignEntriesAreSkippedAndTheRestIsTaken() {
        String customer = "wmMixed-" + alphanumeric(8);
        String longText = "我想问一下".repeat(1000);
        wecom.add(KF,
                "{\"msgid\":\"s1\",\"open_kfid\":\"" + KF + "\",\"external_userid\":\"" + customer + "\",\"origin\":5,\"msgtype\":\"text\",\"text\":{\"content\":\"servicer typed this\"}}",
                "{\"msgid\":\"s2\",\"open_kfid\":\"" + KF + "\",\"external_userid\":\"" + customer + "\",\"origin\":3,\"msgtype\":\"image\",\"image\":{\"media_id\":\"x\"}}",
                "{\"msgid\":\"s3\",\"open_kfid\":\"" + KF + "\",\"origin\":4,\"msgtype\":\"event\",\"event\":{\"event_type\":\"enter_session\"}}",
                customerText("s4", KF, "../../etc/passwd", "路径"),
                customerText("s5", KF, "w".repeat(300), "太长的ID"),
                customerText("s6", KF, customer, "   "),
                "{\"open_kfid\":\"" + KF + "\",\"external_userid\":\"" + customer + "\",\"origin\":3,\"msgtype\":\"text\",\"text\":{\"content\":\"没有msgid\"}}",
                "{\"msgid\":\"s8\",\"open_kfid\":\"" + KF + "\",\"external_userid\":\"" + customer + "\",\"origin\":3,\"msgtype\":\"text\",\"text\":{\"content\":42}}",
                "[1,2,3]",
                customerText("s10-" + customer, KF, customer, longText),
                customerText("s11-" + customer, KF, customer, "<script>alert(1)</script>怎么退货"));

        callback("tokx" + alphanumeric(8));

        await(() -> wecom.sentTo(customer).size() == 2);
        JsonNode messages = conversation(customer).path("messages");
        assertThat(messages.size()).isEqualTo(4);
        assertThat(messages.get(0).path("text").asString()).hasSize(2_000).startsWith("我想问一下");
        assertThat(messages.get(2).path("text").asString()).isEqualTo("<script>alert(1)</script>怎么退货");
        assertThat(jdbc.sql("SELECT count(*) FROM service_wecom_kf_threads WHERE tenant_id = ?").param(brand.tenant().id().value())
                .query(Long.class).single()).as("no conversation for the odd ids").isEqualTo(1);
        await(() -> "c11".equals(cursor())); // stored once the page is handled, which is after its replies went out
    }

    @Test
    void wecomErrorsGarbageAndEndlessPagingLeaveNothingBroken() {
        double failed = meters.counter("siyu.service.wecom.pulls", "outcome", "failed").count();
        wecom.rawSyncAnswer = "<html>502 Bad Gateway</html>";
        callback("tokg" + alphanumeric(8));
        await(() -> meters.counter("siyu.service.wecom.pulls", "outcome", "failed").count() >= failed + 1);
        wecom.rawSyncAnswer = "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}";
        callback("tokg" + alphanumeric(8));
        await(() -> meters.counter("siyu.service.wecom.pulls", "outcome", "failed").count() >= failed + 2);
        wecom.rawSyncAnswer = null;
        callback("unannounced", false); // WeCom refuses the token: errcode 95007
        await(() -> meters.counter("siyu.service.wecom.pulls", "outcome", "failed").count() >= failed + 3);
        assertThat(jdbc.sql("SELECT count(*) FROM service_wecom_kf_cursors WHERE tenant_id = ?").param(brand.tenant().id().value())
                .query(Long.class).single()).isZero();

        double pulls = pulls();
        int before = wecom.syncRequests.get();
        wecom.endless = true;
        callback("toke" + alphanumeric(8));
        await(() -> pulls() >= pulls + 1);
        assertThat(wecom.syncRequests.get() - before).as("has_more forever stops at the page cap").isEqualTo(KfInbox.MAX_PAGES);
        wecom.endless = false;

        String customer = "wmAfter-" + alphanumeric(8);
        jdbc.sql("DELETE FROM service_wecom_kf_cursors WHERE tenant_id = ?").param(brand.tenant().id().value()).update();
        wecom.add(KF, customerText("a1-" + customer, KF, customer, "你好"));
        callback("toka" + alphanumeric(8));
        await(() -> wecom.sentTo(customer).size() == 1);
    }

    @Test
    void anExpiredAccessTokenIsRenewedAndARefusedReplyIsRetriedThenGivenUp() {
        String customer = "wmToken-" + alphanumeric(8);
        wecom.add(KF, customerText("t1-" + customer, KF, customer, "你好"));
        callback("tokt1" + alphanumeric(8));
        await(() -> wecom.sentTo(customer).size() == 1);
        int tokens = wecom.tokenRequests.get();

        wecom.expireTokens();
        wecom.add(KF, customerText("t2-" + customer, KF, customer, "再见"));
        callback("tokt2" + alphanumeric(8));
        await(() -> wecom.sentTo(customer).size() == 2);
        assertThat(wecom.tokenRequests.get()).as("one new access token after WeCom said 42001").isEqualTo(tokens + 1);

        String refused = "wmRefused-" + alphanumeric(8);
        wecom.refuseSendsTo.add(refused);
        wecom.add(KF, customerText("r1-" + refused, KF, refused, "你好"));
        callback("tokr" + alphanumeric(8));
        // the reply is queued and tried at once; a pull still paging for the previous callback may be
        // the one that takes the message, and the queue's own flushes may already have retried it
        await(() -> outboxStatus(refused).startsWith("pending:") || outboxStatus(refused).startsWith("failed:"));
        for (int attempt = 1; attempt <= KfOutbox.MAX_ATTEMPTS && outboxStatus(refused).startsWith("pending:"); attempt++) {
            outbox.flush(brand.tenant().id());
        }
        assertThat(outboxStatus(refused)).isEqualTo("failed:" + KfOutbox.MAX_ATTEMPTS);
        assertThat(wecom.sentTo(refused)).isEmpty();
    }

    @Test
    void callbacksThatBreakTheProtocolAreRefused() {
        int before = wecom.syncRequests.get();
        assertThat(post(signed(kfEvent("tok" + alphanumeric(6), "wk<script>"))).body()).contains("OpenKfId");
        assertThat(post(signed(kfEvent("tok" + alphanumeric(6), "wk<script>"))).statusCode()).isEqualTo(400);
        assertThat(post(signed(kfEvent("", KF))).statusCode()).isEqualTo(400);
        assertThat(post(signed(kfEvent("a".repeat(200), KF))).statusCode()).isEqualTo(400);
        Signed good = signed(kfEvent("tok" + alphanumeric(6), KF));
        Signed forged = new Signed(good.query().replaceFirst("msg_signature=[0-9a-f]+", "msg_signature=" + "0".repeat(40)), good.body());
        assertThat(post(forged).statusCode()).isEqualTo(401);
        assertThat(wecom.syncRequests.get()).isEqualTo(before);
    }

    @Test
    void settingsAreCheckedAndTheSecretIsNeverShown() {
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"apiBase\": \"" + wecom.url() + "\"}").body()).contains("\"secret\"");
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"secret\": \"short\"}").statusCode()).isEqualTo(400);
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"secret\": \"secret-" + alphanumeric(10) + "\", \"apiBase\": \"file:///etc/passwd\"}").body())
                .contains("apiBase");
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"secret\": \"secret-" + alphanumeric(10) + "\", \"apiBase\": \"http://x.test/?a=1\"}").statusCode())
                .isEqualTo(400);
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"secret\": ").statusCode()).isEqualTo(400);
        assertThat(adminPut("/api/v1/wecom/customer-service", "{\"secret\": \"" + "a".repeat(5000) + "\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> shown = get("/api/v1/wecom/customer-service", brand);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains(wecom.url()).doesNotContain(wecom.secret);
        Brand other = newBrand();
        assertThat(get("/api/v1/wecom/customer-service", other).statusCode()).isEqualTo(404);
    }

    // --- helpers ---

    private record Signed(String query, String body) {}

    private HttpResponse<String> callback(String callbackToken) {
        return callback(callbackToken, true);
    }

    private HttpResponse<String> callback(String callbackToken, boolean announce) {
        if (announce) {
            wecom.announce(callbackToken);
        }
        HttpResponse<String> response = post(signed(kfEvent(callbackToken, KF)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("success");
        return response;
    }

    private String kfEvent(String callbackToken, String openKfId) {
        return """
                <xml><ToUserName><![CDATA[%s]]></ToUserName><CreateTime>%d</CreateTime>\
                <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>\
                <Token><![CDATA[%s]]></Token><OpenKfId><![CDATA[%s]]></OpenKfId></xml>"""
                .formatted(wecom.corpId, Instant.now().getEpochSecond(), callbackToken, openKfId);
    }

    /** Encrypts and signs the way WeCom does (WxJava's reference implementation of the protocol). */
    private Signed signed(String xml) {
        String encrypted = new WxCryptUtil(token, aesKey, wecom.corpId).encrypt(alphanumeric(16), xml);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String nonce = alphanumeric(10);
        String query = "msg_signature=" + SHA1.gen(token, timestamp, nonce, encrypted) + "&timestamp=" + timestamp + "&nonce=" + nonce;
        String body = "<xml><ToUserName><![CDATA[" + wecom.corpId + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        return new Signed(query, body);
    }

    private HttpResponse<String> post(Signed callback) {
        return send(HttpRequest.newBuilder(URI.create(url("/wecom/callback/" + brand.slug() + "?" + callback.query())))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(callback.body())).build());
    }

    private HttpResponse<String> adminPut(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("X-Siyu-Tenant", brand.slug()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonNode conversation(String customer) {
        UUID id = jdbc.sql("SELECT conversation_id FROM service_wecom_kf_threads WHERE tenant_id = ? AND external_userid = ?")
                .params(brand.tenant().id().value(), customer).query(UUID.class).single();
        HttpResponse<String> response = get("/api/v1/service/conversations/" + id, brand);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    private @Nullable String cursor() {
        return jdbc.sql("SELECT cursor FROM service_wecom_kf_cursors WHERE tenant_id = ? AND open_kfid = ?")
                .params(brand.tenant().id().value(), KF).query(String.class).optional().orElse(null);
    }

    private String outboxStatus(String customer) {
        return jdbc.sql("""
                SELECT o.status || ':' || o.attempts FROM service_wecom_kf_outbox o
                JOIN service_wecom_kf_threads t ON t.conversation_id = o.conversation_id WHERE t.external_userid = ?""")
                .param(customer).query(String.class).optional().orElse("none");
    }

    private double pulls() {
        return meters.counter("siyu.service.wecom.pulls", "outcome", "pulled").count();
    }

    private void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s; WeCom server saw " + wecom.syncRequests + " sync_msg, "
                        + wecom.sendRequests + " send_msg: " + wecom.sent);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String alphanumeric(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
