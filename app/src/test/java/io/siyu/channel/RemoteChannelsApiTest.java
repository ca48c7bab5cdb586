package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.siyu.support.ApiTest;
import io.siyu.support.TestData;
import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The remote channels end to end, each against a local server speaking its remote's protocol:
 * the official account (mp API and its signed server callback), Yunpian SMS (single_send and the
 * status-report push it makes back to Siyu) and SMTP/IMAP (GreenMail: the relay, and the bounce
 * mailbox where a DSN arrives). What each remote reports becomes Message Delivered or Message Failed.
 */
@TestPropertySource(properties = {"siyu.data-dir=target/test-data/remote-channels",
        "siyu.channels.enabled=inapp,webhook,sms,email,wechat-mp",
        "siyu.channels.sms.api-key=k-remote", "siyu.channels.sms.signature=【思域】",
        "siyu.channels.sms.report-token=" + RemoteChannelsApiTest.REPORT_TOKEN,
        "siyu.channels.email.host=127.0.0.1", "siyu.channels.email.from=思域 <news@siyu.test>",
        "siyu.channels.email.bounce-address=bounces@siyu.test", "siyu.channels.email.bounce-imap-host=127.0.0.1",
        "siyu.channels.email.bounce-imap-security=none", "siyu.channels.email.bounce-imap-username=bounces@siyu.test",
        "siyu.channels.email.bounce-imap-password=bounce-pw", "siyu.channels.receipts.poll-ms=300",
        "siyu.channels.wechat-mp.app-id=" + MpServer.APP_ID, "siyu.channels.wechat-mp.secret=" + MpServer.SECRET,
        "siyu.channels.wechat-mp.token=" + RemoteChannelsApiTest.MP_TOKEN,
        "siyu.channels.wechat-mp.tenant=" + RemoteChannelsApiTest.MP_TENANT})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS) // its remotes stop after the class: so does the application
class RemoteChannelsApiTest extends ApiTest {

    static final String REPORT_TOKEN = "rpt-3f9a1c7e5b2d4e60";
    static final String MP_TOKEN = "mp-callback-token";
    /** The tenant whose people follow the official account. */
    static final String MP_TENANT = "mp-brand";

    static final MpServer MP;
    static final Yunpian YUNPIAN;
    static final GreenMail MAIL;

    static {
        TestData.wipe("target/test-data/remote-channels");
        try {
            MP = new MpServer();
            YUNPIAN = new Yunpian();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MAIL = new GreenMail(new ServerSetup[] {new ServerSetup(freePort(), "127.0.0.1", "smtp"),
                new ServerSetup(freePort(), "127.0.0.1", "imap")});
        MAIL.start();
        MAIL.setUser("bounces@siyu.test", "bounces@siyu.test", "bounce-pw");
    }

    @DynamicPropertySource
    static void remotes(DynamicPropertyRegistry registry) {
        registry.add("siyu.channels.sms.base-url", YUNPIAN::url);
        registry.add("siyu.channels.email.port", () -> MAIL.getSmtp().getPort());
        registry.add("siyu.channels.email.bounce-imap-port", () -> MAIL.getImap().getPort());
        registry.add("siyu.channels.wechat-mp.base-url", MP::url);
    }

    @AfterAll
    static void stopRemotes() {
        MP.close();
        YUNPIAN.close();
        MAIL.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A local Yunpian: {@code single_send} answers a sid and keeps a status report for it (SUCCESS,
     * or FAIL/UNDELIV for 139 numbers); {@link #push} posts the kept reports to Siyu's callback as
     * Yunpian does, form field {@code sms_status}, and keeps Siyu's answers.
     */
    static final class Yunpian implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger sids = new AtomicInteger(7_000);
        final List<String> reports = new CopyOnWriteArrayList<>();
        final Map<String, String> sidByPhone = new ConcurrentHashMap<>();

        Yunpian() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v2/sms/single_send.json", ex -> {
                Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String body;
                if (!"k-remote".equals(form.get("apikey"))) {
                    body = "{\"code\":-1,\"msg\":\"非法的apikey\"}";
                } else {
                    int sid = sids.incrementAndGet();
                    String mobile = form.get("mobile");
                    sidByPhone.put(mobile, Integer.toString(sid));
                    boolean fails = mobile.startsWith("139");
                    reports.add("{\"sid\":" + sid + ",\"uid\":\"" + form.get("uid") + "\",\"user_receive_time\":\"2026-11-25 10:00:00\","
                            + "\"error_msg\":\"" + (fails ? "UNDELIV" : "DELIVRD") + "\",\"mobile\":\"" + mobile
                            + "\",\"report_status\":\"" + (fails ? "FAIL" : "SUCCESS") + "\"}");
                    body = "{\"code\":0,\"msg\":\"发送成功\",\"count\":1,\"fee\":0.05,\"unit\":\"RMB\",\"mobile\":\"" + mobile + "\",\"sid\":" + sid + "}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** Posts the reports kept so far to {@code callback}, as one push. */
        HttpResponse<String> push(String callback) {
            return push(callback, "[" + String.join(",", reports) + "]");
        }

        HttpResponse<String> push(String callback, String smsStatus) {
            return send(HttpRequest.newBuilder(URI.create(callback)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("sms_status=" + URLEncoder.encode(smsStatus, StandardCharsets.UTF_8)))
                    .build());
        }

        private static Map<String, String> form(String text) {
            Map<String, String> out = new ConcurrentHashMap<>();
            for (String pair : text.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private void person(Brand brand, String userId, String identities) {
        var tracked = post("/v1/track", brand.writeKey(), "{\"userId\":\"" + userId + "\",\"event\":\"Signed Up\",\"context\":{\"identities\":"
                + identities + "}}");
        assertThat(tracked.statusCode()).as(tracked.body()).isEqualTo(200);
        ChannelApiTest.eventually(Duration.ofSeconds(10), () -> get("/api/v1/profiles?identifier=user_id:" + userId, brand).statusCode() == 200,
                () -> userId + " never became a profile");
    }

    private String sendMessage(Brand brand, String userId, String template, String extra) {
        var sent = adminPost("/api/v1/messages", brand, "{\"identifier\":\"user_id:" + userId + "\",\"template\":\"" + template + "\"" + extra + "}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(body(sent).path("outcome").asString()).as(sent.body()).isEqualTo("queued");
        return body(sent).path("messageId").asString();
    }

    private JsonNode await(Brand brand, String messageId, java.util.function.Predicate<JsonNode> condition, String what) {
        JsonNode[] last = new JsonNode[1];
        ChannelApiTest.eventually(Duration.ofSeconds(20), () -> {
            last[0] = body(get("/api/v1/messages/" + messageId, brand));
            return condition.test(last[0]);
        }, () -> "message " + messageId + " never " + what + ": " + last[0]);
        return last[0];
    }

    private void awaitEvent(Brand brand, String userId, String event, int count) {
        JsonNode[] last = new JsonNode[1];
        ChannelApiTest.eventually(Duration.ofSeconds(10), () -> {
            last[0] = profile(brand, "user_id:" + userId);
            return last[0].path("stats").path("eventCounts").path(event).asInt() == count;
        }, () -> userId + " never had " + count + " '" + event + "': " + last[0].path("stats"));
    }

    private int eventCount(Brand brand, String userId, String event) {
        return profile(brand, "user_id:" + userId).path("stats").path("eventCounts").path(event).asInt();
    }

    // ---- official account

    private static String sign(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> mpPush(String xml, long timestamp, String signatureToken) {
        String nonce = "n" + System.nanoTime();
        String signature = sign(signatureToken, Long.toString(timestamp), nonce);
        return send(HttpRequest.newBuilder(URI.create(url("/callbacks/wechat-mp?signature=" + signature + "&timestamp=" + timestamp
                + "&nonce=" + nonce))).header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(xml)).build());
    }

    private static String jobFinished(String openid, String msgId, String status) {
        return "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>1764064800</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
                + "<MsgID>" + msgId + "</MsgID><Status><![CDATA[" + status + "]]></Status></xml>";
    }

    @Test
    void officialAccountMessagesGoToTheOpenidAndWeChatsResultComesBackAsAReceipt() {
        Brand brand = newBrand();
        person(brand, "mp-1", "{\"openid\":\"oMp-user-0001\"}");
        person(brand, "mp-2", "{\"openid\":\"oMp-user-0002\"}");
        var noSubject = put("/api/v1/message-templates/ship", brand, "{\"channel\":\"wechat-mp\",\"body\":\"first: x\",\"marketing\":false}");
        assertThat(noSubject.statusCode()).isEqualTo(400);
        assertThat(body(noSubject).path("errors").get(0).path("field").asString()).isEqualTo("subject");
        assertThat(put("/api/v1/message-templates/ship", brand, "{\"channel\":\"wechat-mp\",\"subject\":\"template:TPL_ship\","
                + "\"body\":\"first: 您好，{{name|会员}}\\nkeyword1: {{order}}\\nurl: https://shop.example.cn/o\",\"marketing\":false}")
                .statusCode()).isEqualTo(200);
        assertThat(put("/api/v1/message-templates/points", brand, "{\"channel\":\"wechat-mp\",\"subject\":\"subscribe:SUB_points\","
                + "\"body\":\"thing1: 积分到账\\nnumber2: {{points}}\",\"marketing\":false}").statusCode()).isEqualTo(200);

        // a value with a line break cannot add a field
        String shipped = sendMessage(brand, "mp-1", "ship", ",\"variables\":{\"name\":\"韩梅梅\\nurl: https://evil.example\",\"order\":\"SO-1\"}");
        await(brand, shipped, m -> m.path("status").asString().equals("SENT"), "SENT");
        MpServer.Received received = MP.received.stream().filter(r -> r.body().path("client_msg_id").asString().equals(shipped))
                .findFirst().orElseThrow();
        assertThat(received.body().path("touser").asString()).isEqualTo("oMp-user-0001");
        assertThat(received.body().path("url").asString()).isEqualTo("https://shop.example.cn/o");
        assertThat(received.body().path("data").path("first").path("value").asString()).isEqualTo("您好，韩梅梅 url: https://evil.example");
        String msgId = MP.delivered.get("oMp-user-0001/" + shipped);

        long now = System.currentTimeMillis() / 1000;
        // forged, stale and other-account pushes are refused and record nothing
        assertThat(mpPush(jobFinished("oMp-user-0001", msgId, "success"), now, "wrong-token").statusCode()).isEqualTo(404);
        assertThat(mpPush(jobFinished("oMp-user-0001", msgId, "success"), now - 3600, MP_TOKEN).statusCode()).isEqualTo(404);
        assertThat(mpPush(jobFinished("oMp-someone-else", msgId, "success"), now, MP_TOKEN).body()).isEqualTo("success");
        assertThat(mpPush("<xml><unclosed>", now, MP_TOKEN).statusCode()).isEqualTo(400);
        assertThat(body(get("/api/v1/messages/" + shipped, brand)).path("deliveredAt").isMissingNode()).isTrue();

        var pushed = mpPush(jobFinished("oMp-user-0001", msgId, "success"), now, MP_TOKEN);
        assertThat(pushed.statusCode()).isEqualTo(200);
        assertThat(pushed.body()).isEqualTo("success");
        await(brand, shipped, m -> m.hasNonNull("deliveredAt"), "delivered");
        awaitEvent(brand, "mp-1", "Message Delivered", 1);
        mpPush(jobFinished("oMp-user-0001", msgId, "success"), now, MP_TOKEN); // WeChat repeats pushes
        assertThat(eventCount(brand, "mp-1", "Message Delivered")).isEqualTo(1);

        // the person refused the subscription: final, with WeChat's reason, and a Message Failed event
        MP.errors.add(43101);
        String refused = sendMessage(brand, "mp-2", "points", ",\"variables\":{\"points\":\"120\"}");
        JsonNode failed = await(brand, refused, m -> m.path("status").asString().equals("FAILED"), "FAILED");
        assertThat(failed.path("lastError").asString()).contains("43101").contains("用户拒收");
        awaitEvent(brand, "mp-2", "Message Failed", 1);

        // the daily quota: retried, then sent
        MP.errors.add(45009);
        String quota = sendMessage(brand, "mp-2", "points", ",\"variables\":{\"points\":\"5\"}");
        JsonNode waiting = await(brand, quota, m -> m.path("attempts").asInt() == 1, "retried");
        assertThat(waiting.path("status").asString()).isEqualTo("PENDING");
        assertThat(waiting.path("lastError").asString()).contains("45009");
    }

    private static String follower(String openid, String event, String eventKey, long createTime) {
        return "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName><![CDATA[" + openid + "]]></FromUserName>"
                + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event + "]]></Event>"
                + (eventKey == null ? "" : "<EventKey><![CDATA[" + eventKey + "]]></EventKey>") + "</xml>";
    }

    @Test
    void followsUnfollowsAndReferralScansOfTheOfficialAccountBecomeTheTenantsEventsAndAttributeTheFriend() {
        Brand brand = brand(MP_TENANT);
        String code = shareCode(brand, "mp-spring", "https://brand.example/r/{code}", "mp-sharer");
        String friend = "openid:" + MpServer.APP_ID + ":oFriend-000001";
        long at = Instant.now().getEpochSecond();

        // the sharer's poster for the official account: its QR code is the account's follow code with the scene ref:<code>
        String qrContent = decodedQr(adminGetBytes("/api/v1/referrals/codes/" + code + "/poster.png?via=wechat-mp", brand));
        assertThat(qrContent).startsWith("http://weixin.qq.com/q/");
        List<MpServer.Received> created = MP.received.stream().filter(r -> r.path().equals("qrcode")).toList();
        assertThat(created).hasSize(1);
        assertThat(created.getFirst().body().path("action_name").asString()).isEqualTo("QR_STR_SCENE");
        assertThat(created.getFirst().body().path("action_info").path("scene").path("scene_str").asString()).isEqualTo("ref:" + code);
        assertThat(decodedQr(adminGetBytes("/api/v1/referrals/codes/" + code + "/poster.png?via=wechat-mp", brand))).isEqualTo(qrContent);
        assertThat(MP.received.stream().filter(r -> r.path().equals("qrcode")).count()).as("asked WeChat once").isEqualTo(1);
        assertThat(get("/api/v1/referrals/codes/" + code + "/poster.png?via=carrier-pigeon", brand).body())
                .contains("\"field\":\"via\"", "\"rule\":\"enum\"");

        // malformed and hostile follower pushes: refused, naming the field and the rule
        var longScene = mpPush(follower("oFriend-000001", "subscribe", "qrscene_" + "x".repeat(65), at), at, MP_TOKEN);
        assertThat(longScene.statusCode()).isEqualTo(400);
        assertThat(longScene.body()).contains("\"field\":\"EventKey\"", "\"rule\":\"maxLength\"");
        var badOpenid = mpPush(follower("o'; DROP TABLE tenants;--", "subscribe", null, at), at, MP_TOKEN);
        assertThat(badOpenid.statusCode()).isEqualTo(400);
        assertThat(badOpenid.body()).contains("\"field\":\"FromUserName\"", "\"rule\":\"pattern\"");

        // the friend follows through the sharer's QR code (scene ref:<code>); WeChat repeats the push
        String followed = follower("oFriend-000001", "subscribe", "qrscene_ref:" + code, at);
        assertThat(mpPush(followed, at, MP_TOKEN).body()).isEqualTo("success");
        assertThat(mpPush(followed, at, MP_TOKEN).body()).isEqualTo("success");
        ChannelApiTest.eventually(Duration.ofSeconds(10), () -> get("/api/v1/profiles?identifier=" + friend, brand).statusCode() == 200
                && profile(brand, friend).path("stats").path("eventCounts").path("Official Account Followed").asInt() == 1,
                () -> "the follow never became an event");
        ChannelApiTest.eventually(Duration.ofSeconds(10),
                () -> body(get("/api/v1/referrals/campaigns/mp-spring/attributions", brand)).size() == 1,
                () -> "the friend was never attributed");
        JsonNode attribution = body(get("/api/v1/referrals/campaigns/mp-spring/attributions", brand)).get(0);
        assertThat(attribution.path("sharerIdentifier").asString()).isEqualTo("user_id:mp-sharer");
        assertThat(attribution.path("friendIdentifier").asString()).isEqualTo(friend);
        assertThat(profile(brand, friend).path("stats").path("channelOfOrigin").asString()).isEqualTo("wechat-mp");

        // a follower scanning a referral code is a touch, another scene is not recorded; the unfollow is an event
        assertThat(mpPush(follower("oFriend-000001", "SCAN", "ref:" + code, at + 1), at, MP_TOKEN).body()).isEqualTo("success");
        assertThat(mpPush(follower("oFriend-000001", "SCAN", "store-42", at + 2), at, MP_TOKEN).body()).isEqualTo("success");
        assertThat(mpPush(follower("oFriend-000001", "unsubscribe", null, at + 3), at, MP_TOKEN).body()).isEqualTo("success");
        ChannelApiTest.eventually(Duration.ofSeconds(10),
                () -> profile(brand, friend).path("stats").path("eventCounts").path("Official Account Unfollowed").asInt() == 1,
                () -> "the unfollow never became an event");
        JsonNode counts = profile(brand, friend).path("stats").path("eventCounts");
        assertThat(counts.path("Referral Link Opened").asInt()).as(counts.toString()).isEqualTo(1);
        assertThat(counts.path("Official Account Followed").asInt()).as(counts.toString()).isEqualTo(1);
    }

    @Test
    void anotherTenantGetsNoQrCodeOfTheOfficialAccount() {
        Brand other = newBrand();
        String code = shareCode(other, "other", "https://other.example/r/{code}", "other-sharer");
        long asked = MP.received.stream().filter(r -> r.path().equals("qrcode")).count();
        assertThat(get("/api/v1/referrals/codes/" + code + "/poster.png?via=wechat-mp", other).statusCode()).isEqualTo(404);
        assertThat(decodedQr(adminGetBytes("/api/v1/referrals/codes/" + code + "/poster.png", other))).isEqualTo("https://other.example/r/" + code);
        assertThat(MP.received.stream().filter(r -> r.path().equals("qrcode")).count()).isEqualTo(asked);
    }

    /** An invite campaign (sharer and friend rewarded with a coupon each) and the share code of a new sharer in it. */
    private String shareCode(Brand brand, String campaign, String landingUrl, String sharer) {
        for (String id : new String[] {"sharer-20", "new-a"}) {
            var created = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"" + id + "\",\"name\":\"" + id
                    + "\",\"kind\":\"FIXED\",\"amountFen\":2000,\"totalStock\":1000,\"perPersonLimit\":1,\"validForHours\":720}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var created = adminPost("/api/v1/referrals/campaigns", brand, """
                {"id":"%s","name":"关注有礼","kind":"INVITE","startsAt":"%s","endsAt":"%s","landingUrl":"%s",
                 "sharerReward":"sharer-20","friendRewards":["new-a"]}""".formatted(campaign, now.minus(1, ChronoUnit.DAYS),
                now.plus(30, ChronoUnit.DAYS), landingUrl));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        person(brand, sharer, "{}");
        var issued = adminPost("/api/v1/referrals/campaigns/" + campaign + "/codes", brand, "{\"identifier\":\"user_id:" + sharer + "\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        return body(issued).get("code").asString();
    }

    private byte[] adminGetBytes(String path, Brand brand) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                    .header("X-Siyu-Tenant", brand.slug()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String decodedQr(byte[] png) {
        try {
            var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            int width = image.getWidth();
            int height = image.getHeight();
            var source = new com.google.zxing.RGBLuminanceSource(width, height, image.getRGB(0, 0, width, height, null, 0, width));
            return new com.google.zxing.MultiFormatReader().decode(new com.google.zxing.BinaryBitmap(
                    new com.google.zxing.common.HybridBinarizer(source))).getText();
        } catch (IOException | com.google.zxing.NotFoundException e) {
            throw new AssertionError("no QR code in the poster", e);
        }
    }

    @Test
    void theOfficialAccountSendsToItsOwnOpenidNotAMiniProgramsOne() {
        Brand brand = newBrand();
        person(brand, "mp-two-apps", "{\"openid\":\"wx9999999999999999:oMini-app-0003\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"mp-two-apps\",\"context\":{\"identities\":{\"openid\":\""
                + MpServer.APP_ID + ":oMp-user-0003\"}}}");
        ChannelApiTest.eventually(Duration.ofSeconds(10), () -> profile(brand, "user_id:mp-two-apps").path("identities").toString()
                .contains("oMp-user-0003"), () -> "the second openid never joined the profile");
        assertThat(put("/api/v1/message-templates/hello", brand, "{\"channel\":\"wechat-mp\",\"subject\":\"template:TPL_hi\","
                + "\"body\":\"first: 您好\",\"marketing\":false}").statusCode()).isEqualTo(200);
        String sent = sendMessage(brand, "mp-two-apps", "hello", "");
        await(brand, sent, m -> m.path("status").asString().equals("SENT"), "SENT");
        MpServer.Received received = MP.received.stream().filter(r -> r.body().path("client_msg_id").asString().equals(sent))
                .findFirst().orElseThrow();
        assertThat(received.body().path("touser").asString()).isEqualTo("oMp-user-0003");
    }

    // ---- SMS

    @Test
    void yunpianStatusReportsBecomeDeliveredOrFailed() {
        Brand brand = newBrand();
        person(brand, "sms-1", "{}");
        person(brand, "sms-2", "{}");
        assertThat(put("/api/v1/message-templates/shipped", brand,
                "{\"channel\":\"sms\",\"body\":\"您的订单{{order}}已发货\",\"marketing\":false}").statusCode()).isEqualTo(200);
        String ok = sendMessage(brand, "sms-1", "shipped", ",\"to\":\"13800138000\",\"variables\":{\"order\":\"SO-7\"}");
        String undelivered = sendMessage(brand, "sms-2", "shipped", ",\"to\":\"13900139000\",\"variables\":{\"order\":\"SO-8\"}");
        await(brand, ok, m -> m.path("status").asString().equals("SENT"), "SENT");
        await(brand, undelivered, m -> m.path("status").asString().equals("SENT"), "SENT");
        String callback = url("/callbacks/sms/" + REPORT_TOKEN);

        // wrong token, unknown sid, right sid for another mobile: nothing recorded
        assertThat(YUNPIAN.push(url("/callbacks/sms/not-the-token-123456")).statusCode()).isEqualTo(404);
        String sid = YUNPIAN.sidByPhone.get("13800138000");
        assertThat(YUNPIAN.push(callback, "[{\"sid\":99999999,\"mobile\":\"13800138000\",\"report_status\":\"SUCCESS\"}]").body())
                .isEqualTo("SUCCESS");
        YUNPIAN.push(callback, "[{\"sid\":" + sid + ",\"mobile\":\"13700137000\",\"report_status\":\"FAIL\",\"error_msg\":\"X\"}]");
        assertThat(body(get("/api/v1/messages/" + ok, brand)).path("deliveryError").isMissingNode()).isTrue();
        // malformed and hostile pushes
        assertThat(YUNPIAN.push(callback, "not json").statusCode()).isEqualTo(400);
        assertThat(YUNPIAN.push(callback, "[{\"sid\":\"1; DROP TABLE message_outbox\",\"mobile\":\"1\",\"report_status\":\"SUCCESS\"}]")
                .statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= SmsReportController.MAX_REPORTS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"sid\":").append(i).append(",\"mobile\":\"13800138000\",\"report_status\":\"SUCCESS\"}");
        }
        assertThat(YUNPIAN.push(callback, many + "]").statusCode()).isEqualTo(413);

        var pushed = YUNPIAN.push(callback);
        assertThat(pushed.statusCode()).isEqualTo(200);
        assertThat(pushed.body()).isEqualTo("SUCCESS");
        JsonNode delivered = body(get("/api/v1/messages/" + ok, brand));
        assertThat(delivered.path("deliveredAt").isMissingNode()).isFalse();
        JsonNode notDelivered = body(get("/api/v1/messages/" + undelivered, brand));
        assertThat(notDelivered.path("deliveryError").asString()).isEqualTo("Yunpian FAIL UNDELIV");
        awaitEvent(brand, "sms-1", "Message Delivered", 1);
        awaitEvent(brand, "sms-2", "Message Failed", 1);
        YUNPIAN.push(callback); // Yunpian pushes again when unsure: one event each still
        assertThat(eventCount(brand, "sms-1", "Message Delivered")).isEqualTo(1);
        assertThat(eventCount(brand, "sms-2", "Message Failed")).isEqualTo(1);
        assertThat(eventCount(brand, "sms-2", "Message Delivered")).isZero();
    }

    // ---- e-mail

    /** A session that sends to the local relay, as a remote mail server returning a bounce would. */
    private static Session relay() {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        return Session.getInstance(props);
    }

    private static void deliverDsn(String originalMessageId, String recipient) throws Exception {
        Session session = relay();
        MimeMessage dsn = new MimeMessage(session);
        dsn.setFrom(new InternetAddress("MAILER-DAEMON@mx.example.cn"));
        dsn.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress("bounces@siyu.test"));
        dsn.setSubject("Undelivered Mail Returned to Sender");
        MimeMultipart report = new MimeMultipart("report");
        MimeBodyPart human = new MimeBodyPart();
        human.setText("I'm sorry to have to inform you that your message could not be delivered.", "UTF-8");
        report.addBodyPart(human);
        MimeBodyPart status = new MimeBodyPart();
        status.setDataHandler(new DataHandler(new ByteArrayDataSource(("Reporting-MTA: dns; mx.example.cn\r\n"
                + "Arrival-Date: Wed, 25 Nov 2026 10:00:00 +0800\r\n\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\nOriginal-Recipient: rfc822; " + recipient + "\r\n"
                + "Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <" + recipient + ">: Recipient address rejected:\r\n"
                + " User unknown in virtual mailbox table\r\n").getBytes(StandardCharsets.US_ASCII), "message/delivery-status")));
        report.addBodyPart(status);
        MimeBodyPart headers = new MimeBodyPart();
        headers.setDataHandler(new DataHandler(new ByteArrayDataSource(("Return-Path: <bounces@siyu.test>\r\n"
                + "From: news@siyu.test\r\nTo: " + recipient + "\r\nMessage-ID: " + originalMessageId + "\r\nSubject: =?UTF-8?B?5L2g5aW9?=\r\n")
                .getBytes(StandardCharsets.US_ASCII), "text/rfc822-headers")));
        report.addBodyPart(headers);
        dsn.setContent(report);
        dsn.saveChanges();
        Transport.send(dsn, new jakarta.mail.Address[] {new InternetAddress("bounces@siyu.test")});
    }

    @Test
    void mailAcceptedByTheRelayIsDeliveredAndABounceInTheBounceMailboxIsAFailure() throws Exception {
        Brand brand = newBrand();
        person(brand, "mail-1", "{\"email\":\"li.lei@example.cn\"}");
        person(brand, "mail-2", "{\"email\":\"nobody@example.cn\"}");
        assertThat(put("/api/v1/message-templates/receipt", brand, "{\"channel\":\"email\",\"subject\":\"订单确认\","
                + "\"body\":\"<p>{{name|您好}}，订单已确认</p>\",\"marketing\":false}").statusCode()).isEqualTo(200);
        String accepted = sendMessage(brand, "mail-1", "receipt", ",\"to\":\"li.lei@example.cn\"");
        String bounced = sendMessage(brand, "mail-2", "receipt", ",\"to\":\"nobody@example.cn\"");
        await(brand, accepted, m -> m.hasNonNull("deliveredAt"), "delivered");
        await(brand, bounced, m -> m.hasNonNull("deliveredAt"), "delivered");
        awaitEvent(brand, "mail-1", "Message Delivered", 1);
        MimeMessage relayed = Arrays.stream(MAIL.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getMessageID().equals("<" + bounced + "@siyu>");
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }).findFirst().orElseThrow(() -> new AssertionError("relay never got " + bounced));
        assertThat(relayed.getHeader("Return-Path")[0]).contains("bounces@siyu.test");

        // a DSN quoting another recipient, and mail that is no DSN, change nothing
        deliverDsn("<" + bounced + "@siyu>", "someone-else@example.cn");
        MimeMessage chatter = new MimeMessage(relay());
        chatter.setFrom(new InternetAddress("li.lei@example.cn"));
        chatter.setSubject("自动回复: 订单确认", "UTF-8");
        chatter.setText("我正在休假", "UTF-8");
        Transport.send(chatter, new jakarta.mail.Address[] {new InternetAddress("bounces@siyu.test")});
        deliverDsn("<" + bounced + "@siyu>", "nobody@example.cn");

        JsonNode failed = await(brand, bounced, m -> m.hasNonNull("deliveryError"), "bounced");
        assertThat(failed.path("deliveryError").asString()).startsWith("bounce 5.1.1: smtp; 550 5.1.1").contains("User unknown");
        awaitEvent(brand, "mail-2", "Message Failed", 1);
        assertThat(body(get("/api/v1/messages/" + accepted, brand)).path("deliveryError").isMissingNode()).isTrue();
        assertThat(eventCount(brand, "mail-1", "Message Failed")).isZero();
    }
}
