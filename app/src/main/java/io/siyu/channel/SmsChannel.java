package io.siyu.channel;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SMS through Yunpian's HTTP API ({@code POST /v2/sms/single_send.json} with {@code apikey},
 * {@code mobile}, {@code text}; answer {@code {"code":0,"sid":…}}). The text must begin with the
 * approved signature 【…】, which is prepended from configuration.
 *
 * <p>Idempotency: the API takes no idempotency key ({@code uid}, set to the message id, is only
 * echoed in status reports). A timeout after the request was written may have sent the SMS, so it
 * is final, not retried. Retried: connection failures, HTTP 5xx, and Yunpian's frequency-limit codes
 * (8, 9, 22, 33), after a minute.
 *
 * <p>Delivery: Yunpian pushes status reports ({@code sms_status}, a JSON list naming each SMS by
 * its {@code sid} and mobile) to {@code /callbacks/sms/<report-token>}; the push is not signed, so
 * the unguessable token in the URL is what authenticates it, and a report only counts for an SMS
 * this installation sent to that mobile under that sid.
 */
@Component
class SmsChannel implements ChannelProviderFactory {

    /** Yunpian codes meaning "same phone too often": the same text later is fine. */
    static final Set<Integer> RATE_LIMITED = Set.of(8, 9, 22, 33);

    private final JsonMapper json;

    SmsChannel(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String id() {
        return "sms";
    }

    @Override
    public String help() {
        return "SMS / 短信 through Yunpian (云片) single_send";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(
                ConfigOption.secret("api-key", "Yunpian API key (管理控制台 → 账户设置 → APIKEY)"),
                ConfigOption.required("signature", "approved SMS signature including the brackets, e.g. 【思域】"),
                ConfigOption.optional("base-url", "API base URL", "https://sms.yunpian.com"),
                ConfigOption.optional("timeout-ms", "connect and answer timeout", "10000"),
                new ConfigOption("report-token", "状态报告推送: at least 16 random characters; set Yunpian's status-report push URL to "
                        + "<public-url>/callbacks/sms/<report-token>. Blank: delivery reports are not accepted", false, true, null));
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        String apiKey = config.get("api-key");
        String signature = config.get("signature");
        if (!signature.startsWith("【") || !signature.endsWith("】")) {
            throw new ChannelConfig.Invalid("siyu.channels.sms.signature must look like 【品牌】, was '" + signature + "'");
        }
        URI endpoint = config.uri("base-url").resolve("/v2/sms/single_send.json");
        Duration timeout = Duration.ofMillis(config.integer("timeout-ms"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        String reportToken = config.optional("report-token");
        if (reportToken != null && reportToken.length() < 16) {
            throw new ChannelConfig.Invalid("siyu.channels.sms.report-token must be at least 16 characters: it is what authenticates reports");
        }
        final class Yunpian implements ChannelProvider, ReportCallbacks {
            @Override
            public boolean authenticates(String presented) {
                return reportToken != null && java.security.MessageDigest.isEqual(reportToken.getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String id() {
                return "sms";
            }

            @Override
            public Delivery send(OutgoingMessage message) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("apikey", apiKey);
                form.put("mobile", message.address().startsWith("+86") ? message.address().substring(3) : message.address());
                form.put("text", signature + message.body());
                form.put("uid", message.messageId());
                String body = form.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
                HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                        .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                        .header("Accept", "application/json;charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() >= 500) {
                        return new Delivery.RetryLater(Duration.ZERO, "Yunpian HTTP " + response.statusCode());
                    }
                    return answer(response.body());
                } catch (java.net.http.HttpConnectTimeoutException e) {
                    return new Delivery.RetryLater(Duration.ZERO, "Yunpian connect timeout");
                } catch (HttpTimeoutException e) {
                    return new Delivery.Rejected("Yunpian did not answer in time; not retried, the SMS may have been sent");
                } catch (java.net.ConnectException e) {
                    return new Delivery.RetryLater(Duration.ZERO, "Yunpian connect: " + e.getMessage());
                } catch (IOException e) {
                    return new Delivery.Rejected("Yunpian: " + e + "; not retried, the SMS may have been sent");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery.RetryLater(Duration.ZERO, "interrupted before sending");
                }
            }
        }
        return new Yunpian();
    }

    private ChannelProvider.Delivery answer(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            return new ChannelProvider.Delivery.Rejected("Yunpian answered something that is not JSON");
        }
        int code = node.path("code").asInt(-1);
        if (code == 0) {
            return new ChannelProvider.Delivery.Sent(node.path("sid").asString(""), false);
        }
        String reason = "Yunpian code " + code + ": " + node.path("msg").asString("") + " " + node.path("detail").asString("");
        if (RATE_LIMITED.contains(code)) {
            return new ChannelProvider.Delivery.RetryLater(Duration.ofMinutes(1), reason.trim());
        }
        return new ChannelProvider.Delivery.Rejected(reason.trim());
    }
}
