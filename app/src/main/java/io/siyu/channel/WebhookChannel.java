package io.siyu.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhooks to a tenant's registered endpoints (CRM, ERP, fulfilment). The JSON body is signed:
 * {@code X-Siyu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, so a
 * receiver can check origin and reject replays older than a few minutes.
 *
 * <p>Idempotency: every attempt carries the same {@code X-Siyu-Message-Id}; receivers must dedupe on
 * it, because a timeout after the receiver processed the request is retried. Retries: connection
 * errors, timeouts, 408, 429 and 5xx are retried by the outbox with exponential backoff (honouring
 * {@code Retry-After} seconds); other 4xx are final and land in the dead-letter list.
 */
@Component
class WebhookChannel implements ChannelProviderFactory {

    static final String SIGNATURE_HEADER = "X-Siyu-Signature";
    static final String MESSAGE_ID_HEADER = "X-Siyu-Message-Id";

    private final WebhookEndpoints endpoints;
    private final JsonMapper json;
    private final Clock clock;

    WebhookChannel(WebhookEndpoints endpoints, JsonMapper json, Clock clock) {
        this.endpoints = endpoints;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String help() {
        return "Webhook / 回调: signed JSON POSTs to endpoints registered per tenant under /api/v1/webhooks";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(ConfigOption.optional("timeout-ms", "how long to wait for the receiver's answer", "10000"));
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        int timeout = config.integer("timeout-ms");
        if (timeout < 100) {
            throw new ChannelConfig.Invalid("siyu.channels.webhook.timeout-ms must be at least 100");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeout)).build();
        return new ChannelProvider() {
            @Override
            public String id() {
                return "webhook";
            }

            @Override
            public Delivery send(OutgoingMessage message) {
                Optional<WebhookEndpoints.Endpoint> endpoint = endpoints.find(message.tenant(), message.address());
                if (endpoint.isEmpty()) {
                    return new Delivery.Rejected("webhook endpoint '" + message.address() + "' is not registered");
                }
                String body = body(message);
                long t = clock.millis() / 1000;
                HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.get().url()))
                        .timeout(Duration.ofMillis(timeout))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header(MESSAGE_ID_HEADER, message.messageId())
                        .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(endpoint.get().secret(), t, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                try {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        return new Delivery.Sent("", true);
                    }
                    if (status == 408 || status == 429 || status >= 500) {
                        Duration after = response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,6}"))
                                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(Duration.ZERO);
                        return new Delivery.RetryLater(after, "HTTP " + status);
                    }
                    return new Delivery.Rejected("HTTP " + status);
                } catch (HttpTimeoutException e) {
                    return new Delivery.RetryLater(Duration.ZERO, "timeout: " + e.getMessage());
                } catch (IOException e) {
                    return new Delivery.RetryLater(Duration.ZERO, "connection: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery.RetryLater(Duration.ZERO, "interrupted");
                }
            }
        };
    }

    private String body(OutgoingMessage message) {
        ObjectNode node = json.createObjectNode();
        node.put("id", message.messageId());
        if (message.person() != null) {
            node.put("person", message.person().toString());
        }
        if (message.subject() != null) {
            node.put("subject", message.subject());
        }
        node.put("text", message.body());
        return json.writeValueAsString(node);
    }

    /** Hex HMAC-SHA256 of {@code t + "." + body}; receivers compute the same to verify. */
    static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

}
