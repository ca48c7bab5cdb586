package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.siyu.support.ApiTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The WeCom provider (through WxJava) against a local server that speaks the WeCom API: token,
 * add_msg_template, send_welcome_msg, add_contact_way, get_corp_tag_list, add_corp_tag, mark_tag.
 */
class WeComTest extends ApiTest {

    /** 2026-11-25 10:00 in China. */
    static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");

    @Autowired JdbcClient jdbc;
    @Autowired Outbox outbox;

    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void startWeCom() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/", this::handle);
        server.start();
        answers.put("add_msg_template", "{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[],\"msgid\":\"msgGCAAAXtWyuja\"}");
        answers.put("send_welcome_msg", "{\"errcode\":0,\"errmsg\":\"ok\"}");
        answers.put("add_contact_way", "{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"42b34949e138eb6e\",\"qr_code\":\"http://p.qpic.cn/wwhead/qr\"}");
        answers.put("get_corp_tag_list", "{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[{\"group_id\":\"G0\",\"group_name\":\"其他\",\"tag\":[{\"id\":\"T0\",\"name\":\"高价值\"}]}]}");
        answers.put("add_corp_tag", "{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":{\"group_id\":\"G1\",\"group_name\":\"思域\",\"tag\":[{\"id\":\"TAG1\",\"name\":\"高价值\"}]}}");
        answers.put("mark_tag", "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String answer;
        if (name.equals("gettoken")) {
            answer = query.contains("corpid=ww-corp") && query.contains("corpsecret=s3cret")
                    ? "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"TOKEN-1\",\"expires_in\":7200}"
                    : "{\"errcode\":40001,\"errmsg\":\"invalid credential\"}";
        } else if (query == null || !query.contains("access_token=TOKEN-1")) {
            answer = "{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}";
        } else {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.put(name, json.readTree(body.isEmpty() ? "{}" : body));
            answer = answers.getOrDefault(name, "{\"errcode\":60011,\"errmsg\":\"no privilege\"}");
        }
        calls.add(name);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private WeCom wecom(int perSecond) {
        return (WeCom) new WeComChannel(jdbc, Clock.fixed(NOW, ZoneOffset.UTC)).create(new ChannelConfig("wecom", Map.of(
                "corp-id", "ww-corp", "secret", "s3cret", "sender", "zhangsan",
                "base-url", "http://127.0.0.1:" + server.getAddress().getPort(), "requests-per-second", Integer.toString(perSecond),
                "per-customer-per-day", "1")));
    }

    private static OutgoingMessage to(Brand brand, String address, String text) {
        return new OutgoingMessage(brand.tenant().id(), "w-" + address, null, "wecom", address, null, text);
    }

    @Test
    void sendsAOneToOneTaskFromTheSenderToTheExternalContact() {
        Brand brand = newBrand();
        assertThat(wecom(20).send(to(brand, "wmABC", "双11会员日，您的专属券已到账")))
                .isEqualTo(new ChannelProvider.Delivery.Sent("msgGCAAAXtWyuja", false));
        JsonNode task = bodies.get("add_msg_template");
        assertThat(task.path("chat_type").asString()).isEqualTo("single");
        assertThat(task.path("sender").asString()).isEqualTo("zhangsan");
        assertThat(task.path("external_userid").get(0).asString()).isEqualTo("wmABC");
        assertThat(task.path("text").path("content").asString()).isEqualTo("双11会员日，您的专属券已到账");
        assertThat(calls).containsExactly("gettoken", "add_msg_template");
    }

    @Test
    void sendsTheWelcomeMessageWithTheWelcomeCode() {
        Brand brand = newBrand();
        assertThat(wecom(20).send(to(brand, "welcome:CALLBACK_CODE", "欢迎添加！"))).isInstanceOf(ChannelProvider.Delivery.Sent.class);
        assertThat(bodies.get("send_welcome_msg").path("welcome_code").asString()).isEqualTo("CALLBACK_CODE");
        assertThat(bodies.get("send_welcome_msg").path("text").path("content").asString()).isEqualTo("欢迎添加！");
    }

    @Test
    void holdsASecondMassMessageToTheSameCustomerUntilTheNextChinaDay() {
        Brand brand = newBrand();
        Instant earlierToday = NOW.minusSeconds(3600);
        outbox.add(new Outbox.Entry(brand.tenant().id(), "old", null, "wecom", null, "wmDAY", null, "x", true, "test",
                Outbox.Status.SENT, 0, earlierToday, null, earlierToday));
        outbox.sent(outbox.find(brand.tenant().id(), "old").orElseThrow(), "m", earlierToday);
        ChannelProvider.Delivery second = wecom(20).send(to(brand, "wmDAY", "再来一条"));
        assertThat(second).isInstanceOfSatisfying(ChannelProvider.Delivery.RetryLater.class, r -> {
            assertThat(r.reason()).isEqualTo("wecom:per-customer-day-limit");
            assertThat(NOW.plus(r.after())).isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
        });
        assertThat(calls).doesNotContain("add_msg_template");
    }

    @Test
    void keepsToTheCorpRateLimitAndRetriesWeComBusyButNotRefusals() {
        Brand brand = newBrand();
        WeCom wecom = wecom(2);
        wecom.send(to(brand, "wm1", "a"));
        wecom.send(to(brand, "wm2", "b"));
        assertThat(wecom.send(to(brand, "wm3", "c"))).isInstanceOfSatisfying(ChannelProvider.Delivery.RetryLater.class,
                r -> assertThat(r.reason()).isEqualTo("wecom:rate-limit"));
        answers.put("add_msg_template", "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
        assertThat(wecom(20).send(to(brand, "wm4", "d"))).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
        answers.put("add_msg_template", "{\"errcode\":-1,\"errmsg\":\"system busy\"}");
        assertThat(wecom(20).send(to(brand, "wm4", "d"))).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
        answers.put("add_msg_template", "{\"errcode\":41048,\"errmsg\":\"no valid external userid\"}");
        assertThat(wecom(20).send(to(brand, "wm4", "d"))).isInstanceOfSatisfying(ChannelProvider.Delivery.Rejected.class,
                r -> assertThat(r.reason()).contains("41048"));
        answers.put("add_msg_template", "{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[\"wm5\"],\"msgid\":\"x\"}");
        assertThat(wecom(20).send(to(brand, "wm5", "e"))).isInstanceOfSatisfying(ChannelProvider.Delivery.Rejected.class,
                r -> assertThat(r.reason()).contains("fail_list"));
    }

    @Test
    void createsAContactWayQrCodeWhoseStateNamesTheCampaign() {
        WeCom.ContactWay way = wecom(20).contactWay(List.of("zhangsan", "lisi"), "c_1111_store8", "双11门店");
        assertThat(way).isEqualTo(new WeCom.ContactWay("42b34949e138eb6e", "http://p.qpic.cn/wwhead/qr", "c_1111_store8"));
        JsonNode request = bodies.get("add_contact_way");
        assertThat(request.path("type").asInt()).isEqualTo(2);
        assertThat(request.path("scene").asInt()).isEqualTo(2);
        assertThat(request.path("state").asString()).isEqualTo("c_1111_store8");
        assertThat(request.path("user").toString()).isEqualTo("[\"zhangsan\",\"lisi\"]");
        assertThatThrownBy(() -> wecom(20).contactWay(List.of("a"), "x".repeat(31), "")).hasMessageContaining("30");
    }

    @Test
    void syncsATagAsACorpTagCreatingItInItsGroupAndListsContactsWeComRefused() {
        answers.put("mark_tag", "{\"errcode\":0,\"errmsg\":\"ok\"}");
        WeCom wecom = wecom(20);
        WeCom.TagSync sync = wecom.syncTag("思域", "高价值", List.of(new WeCom.Contact("wmA", "zhangsan"), new WeCom.Contact("wmB", "lisi")));
        assertThat(sync.tagId()).isEqualTo("TAG1");
        assertThat(sync.created()).as("the same name in another group is a different tag").isTrue();
        assertThat(sync.marked()).isEqualTo(2);
        assertThat(bodies.get("add_corp_tag").path("group_name").asString()).isEqualTo("思域");
        assertThat(bodies.get("mark_tag").path("add_tag").get(0).asString()).isEqualTo("TAG1");
        answers.put("get_corp_tag_list", "{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[{\"group_id\":\"G1\",\"group_name\":\"思域\",\"tag\":[{\"id\":\"TAG1\",\"name\":\"高价值\"}]}]}");
        answers.put("mark_tag", "{\"errcode\":84061,\"errmsg\":\"not external contact\"}");
        WeCom.TagSync again = wecom.syncTag("思域", "高价值", List.of(new WeCom.Contact("wmX", "zhangsan")));
        assertThat(again.created()).isFalse();
        assertThat(again.failed()).singleElement().asString().contains("84061");
    }

    @Test
    void theApiRefusesWeComOperationsWhileTheChannelIsNotEnabled() {
        Brand brand = newBrand();
        var refused = adminPost("/api/v1/wecom/contact-ways", brand, "{\"staff\":[\"zhangsan\"],\"state\":\"c1\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(body(refused).path("errors").get(0).path("rule").asString()).isEqualTo("enabled");
        var longState = adminPost("/api/v1/wecom/contact-ways", brand, "{\"staff\":[\"zhangsan\"],\"state\":\"" + "s".repeat(31) + "\"}");
        assertThat(body(longState).path("errors").get(0).path("field").asString()).isEqualTo("state");
    }
}
