package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The official-account provider through WxJava mp against a local server that speaks the mp API. */
class WeChatMpChannelTest {

    private MpServer mp;

    @BeforeEach
    void start() throws Exception {
        mp = new MpServer();
    }

    @AfterEach
    void stop() {
        mp.close();
    }

    private Map<String, String> config() {
        Map<String, String> values = new HashMap<>(Map.of("app-id", MpServer.APP_ID, "secret", MpServer.SECRET, "token", "cb-token",
                "base-url", mp.url()));
        return values;
    }

    private ChannelProvider provider() {
        return new WeChatMpChannel().create(new ChannelConfig("wechat-mp", config()));
    }

    private static OutgoingMessage message(String id, String subject, String body) {
        return new OutgoingMessage(new TenantId(1), id, null, "wechat-mp", "oUser-openid-1", subject, body);
    }

    @Test
    void sendsATemplateMessageWithItsFieldsLinkAndClientMsgId() {
        ChannelProvider provider = provider();
        var delivery = provider.send(message("m-1", "template:TPL_order_shipped",
                "first: 您的订单已发货\nkeyword1: SO-2026-001\nkeyword2: 顺丰 SF123\nurl: https://shop.example.cn/o/1"));
        assertThat(delivery).isInstanceOfSatisfying(ChannelProvider.Delivery.Sent.class, s -> assertThat(s.reference()).matches("\\d+"));
        MpServer.Received sent = mp.received.getFirst();
        assertThat(sent.path()).isEqualTo("template");
        assertThat(sent.body().path("touser").asString()).isEqualTo("oUser-openid-1");
        assertThat(sent.body().path("template_id").asString()).isEqualTo("TPL_order_shipped");
        assertThat(sent.body().path("client_msg_id").asString()).isEqualTo("m-1");
        assertThat(sent.body().path("url").asString()).isEqualTo("https://shop.example.cn/o/1");
        assertThat(sent.body().path("data").path("keyword2").path("value").asString()).isEqualTo("顺丰 SF123");
        assertThat(sent.body().path("data").has("url")).isFalse();
        assertThat(mp.tokensIssued).hasValue(1);
        // the token is cached: a second message asks for none
        provider.send(message("m-2", "template:TPL_order_shipped", "first: 再次"));
        assertThat(mp.tokensIssued).hasValue(1);
    }

    @Test
    void sendsASubscribeNotificationThroughBizsend() {
        var delivery = provider().send(message("m-3", "subscribe:SUB_points", "thing1: 积分到账\nnumber2: 120\nurl: https://shop.example.cn/p"));
        assertThat(delivery).isInstanceOf(ChannelProvider.Delivery.Sent.class);
        MpServer.Received sent = mp.received.getFirst();
        assertThat(sent.path()).isEqualTo("subscribe");
        assertThat(sent.body().path("template_id").asString()).isEqualTo("SUB_points");
        assertThat(sent.body().path("page").asString()).isEqualTo("https://shop.example.cn/p");
        assertThat(sent.body().path("data").path("thing1").path("value").asString()).isEqualTo("积分到账");
        assertThat(sent.body().path("data").path("number2").path("value").asString()).isEqualTo("120");
    }

    @Test
    void aRefusedSubscriptionIsFinalWithTheReasonAndTheDailyQuotaIsRetried() {
        mp.errors.add(43101);
        assertThat(provider().send(message("m-4", "subscribe:SUB_points", "thing1: 积分到账")))
                .isInstanceOfSatisfying(ChannelProvider.Delivery.Rejected.class,
                        r -> assertThat(r.reason()).contains("43101").contains("用户拒收"));
        mp.errors.add(45009);
        assertThat(provider().send(message("m-5", "template:TPL_a", "first: x")))
                .isInstanceOfSatisfying(ChannelProvider.Delivery.RetryLater.class, r -> {
                    assertThat(r.reason()).contains("45009");
                    assertThat(r.after()).hasSeconds(60);
                });
        mp.errors.add(40003);
        assertThat(provider().send(message("m-6", "template:TPL_a", "first: x")))
                .isInstanceOf(ChannelProvider.Delivery.Rejected.class);
    }

    @Test
    void anExpiredTokenIsRenewedOnceAndTheMessageSent() {
        ChannelProvider provider = provider();
        provider.send(message("m-7", "template:TPL_a", "first: x"));
        mp.expired.put("TOKEN-1", true);
        assertThat(provider.send(message("m-8", "template:TPL_a", "first: y"))).isInstanceOf(ChannelProvider.Delivery.Sent.class);
        assertThat(mp.tokensIssued).hasValue(2);
        assertThat(mp.received).hasSize(2);
    }

    @Test
    void aRepeatedTemplateMessageIsOneDeliveryAtWeChat() {
        ChannelProvider provider = provider();
        var first = (ChannelProvider.Delivery.Sent) provider.send(message("m-9", "template:TPL_a", "first: x"));
        var again = (ChannelProvider.Delivery.Sent) provider.send(message("m-9", "template:TPL_a", "first: x"));
        assertThat(again.reference()).isEqualTo(first.reference());
        assertThat(mp.delivered).hasSize(1);
    }

    @Test
    void refusedConnectionsAreRetriedAndABrokenBodyIsRejected() {
        ChannelProvider provider = provider();
        assertThat(provider.send(message("m-10", "template:TPL_a", "no field here")))
                .isInstanceOfSatisfying(ChannelProvider.Delivery.Rejected.class, r -> assertThat(r.reason()).contains("line 1"));
        mp.close();
        assertThat(provider.send(message("m-11", "template:TPL_a", "first: x"))).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
    }

    @Test
    void refusesToStartWhenSelectedButMisconfigured() {
        MockEnvironment missing = new MockEnvironment().withProperty("siyu.channels.enabled", "wechat-mp")
                .withProperty("siyu.channels.wechat-mp.app-id", MpServer.APP_ID);
        assertThatThrownBy(() -> new Channels(List.of(new WeChatMpChannel()), missing))
                .hasMessageContaining("siyu.channels.wechat-mp.secret is required")
                .hasMessageContaining("siyu.channels.wechat-mp.token is required");
        Map<String, String> badApp = config();
        badApp.put("app-id", "not-an-app");
        assertThatThrownBy(() -> new WeChatMpChannel().create(new ChannelConfig("wechat-mp", badApp)))
                .isInstanceOf(ChannelConfig.Invalid.class).hasMessageContaining("app-id");
        Map<String, String> badKey = config();
        badKey.put("aes-key", "short");
        assertThatThrownBy(() -> new WeChatMpChannel().create(new ChannelConfig("wechat-mp", badKey)))
                .isInstanceOf(ChannelConfig.Invalid.class).hasMessageContaining("EncodingAESKey");
        Map<String, String> badUrl = config();
        badUrl.put("base-url", "ftp://x");
        assertThatThrownBy(() -> new WeChatMpChannel().create(new ChannelConfig("wechat-mp", badUrl)))
                .isInstanceOf(ChannelConfig.Invalid.class).hasMessageContaining("base-url");
    }

    @Test
    void templatesAreCheckedFieldByField() {
        assertThatThrownBy(() -> MpMessage.parse("sms:x", "first: a")).hasMessageContaining("template:<template_id>");
        assertThatThrownBy(() -> MpMessage.parse("template:T", "first: a\nfirst: b")).hasMessageContaining("twice");
        assertThatThrownBy(() -> MpMessage.parse("template:T", "url: javascript:alert(1)")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> MpMessage.parse("template:T", "first: " + "长".repeat(201))).hasMessageContaining("200");
        assertThat(MpMessage.parse("template:T", "first: a: b\n\nremark: c").data()).containsEntry("first", "a: b").containsEntry("remark", "c");
    }
}
