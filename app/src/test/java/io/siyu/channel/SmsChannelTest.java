package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.siyu.platform.TenantId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Yunpian provider against a local server that speaks Yunpian's single_send protocol. */
class SmsChannelTest {

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void startYunpian() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/sms/single_send.json", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = new HashMap<>();
            for (String pair : form.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            params.put("_method", exchange.getRequestMethod());
            params.put("_type", exchange.getRequestHeaders().getFirst("Content-Type"));
            requests.add(params);
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ChannelProvider provider() {
        return new SmsChannel(JsonMapper.builder().build()).create(new ChannelConfig("sms", Map.of("api-key", "k-123",
                "signature", "【思域】", "base-url", "http://127.0.0.1:" + server.getAddress().getPort(), "timeout-ms", "2000")));
    }

    private static OutgoingMessage message(String phone) {
        return new OutgoingMessage(new TenantId(1), "m-1", null, "sms", phone, null, "您的验证码是1234");
    }

    @Test
    void sendsSignedTextAndReturnsYunpiansId() {
        answer.set("{\"code\":0,\"msg\":\"发送成功\",\"count\":1,\"fee\":0.05,\"unit\":\"RMB\",\"mobile\":\"13800138000\",\"sid\":3310228982}");
        ChannelProvider.Delivery delivery = provider().send(message("+8613800138000"));
        assertThat(delivery).isEqualTo(new ChannelProvider.Delivery.Sent("3310228982", false));
        Map<String, String> request = requests.getFirst();
        assertThat(request).containsEntry("apikey", "k-123").containsEntry("mobile", "13800138000")
                .containsEntry("text", "【思域】您的验证码是1234").containsEntry("uid", "m-1").containsEntry("_method", "POST");
        assertThat(request.get("_type")).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void retriesFrequencyLimitsAfterAMinuteAndRejectsBadNumbers() {
        answer.set("{\"code\":33,\"msg\":\"同一个手机号发送频率过快\",\"detail\":\"30秒内\"}");
        status.set(400);
        assertThat(provider().send(message("13800138000"))).isInstanceOfSatisfying(ChannelProvider.Delivery.RetryLater.class,
                r -> assertThat(r.after()).hasSeconds(60));
        answer.set("{\"code\":2,\"msg\":\"请求参数格式错误\",\"detail\":\"参数 mobile 格式不正确\"}");
        assertThat(provider().send(message("13800138000"))).isInstanceOfSatisfying(ChannelProvider.Delivery.Rejected.class,
                r -> assertThat(r.reason()).contains("code 2").contains("mobile"));
    }

    @Test
    void retriesServerErrorsAndRefusedConnections() {
        answer.set("busy");
        status.set(503);
        assertThat(provider().send(message("13800138000"))).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
        ChannelProvider provider = provider();
        server.stop(0);
        assertThat(provider.send(message("13800138000"))).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
    }

    @Test
    void refusesASignatureWithoutBrackets() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmsChannel(JsonMapper.builder().build())
                .create(new ChannelConfig("sms", Map.of("api-key", "k", "signature", "思域", "base-url", "https://x.cn",
                        "timeout-ms", "100")))).isInstanceOf(ChannelConfig.Invalid.class).hasMessageContaining("【品牌】");
    }

    @Test
    void refusesAShortReportTokenAndAuthenticatesOnlyTheConfiguredOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmsChannel(JsonMapper.builder().build())
                .create(new ChannelConfig("sms", Map.of("api-key", "k", "signature", "【思域】", "base-url", "https://x.cn",
                        "timeout-ms", "100", "report-token", "short")))).isInstanceOf(ChannelConfig.Invalid.class)
                .hasMessageContaining("report-token");
        ChannelProvider withToken = new SmsChannel(JsonMapper.builder().build()).create(new ChannelConfig("sms", Map.of("api-key", "k",
                "signature", "【思域】", "base-url", "https://x.cn", "timeout-ms", "100", "report-token", "0123456789abcdef")));
        assertThat(((ReportCallbacks) withToken).authenticates("0123456789abcdef")).isTrue();
        assertThat(((ReportCallbacks) withToken).authenticates("0123456789abcdeF")).isFalse();
        ChannelProvider without = provider();
        assertThat(((ReportCallbacks) without).authenticates("")).isFalse();
    }
}
