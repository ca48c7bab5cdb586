package io.siyu.referral;

import io.siyu.channel.WebhookEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Sends fulfilment notices to the tenant's webhook endpoint (registered under
 * {@code /api/v1/webhooks/{name}}, which holds the URL and the signing secret), signed as every Siyu
 * webhook is: {@code X-Siyu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 *
 * <p>Idempotency: every attempt carries the same {@code X-Siyu-Message-Id} ({@code help-<task>}); the
 * ERP must dedupe on it, because a timeout after it processed the request is retried, and shipping
 * twice costs a real product. Retries: connection errors, timeouts, 408, 429 and 5xx, and an endpoint
 * not (yet) registered, are retried with exponential backoff ({@code base × 2^(n-1)}, capped at an
 * hour, or later when {@code Retry-After} says so) until the budget is spent (DEAD); any other 4xx is
 * final (FAILED). Both can be replayed through the API.
 */
@Component
class NoticeSender implements ApplicationRunner, DisposableBean {

    static final String SIGNATURE_HEADER = "X-Siyu-Signature";
    static final String MESSAGE_ID_HEADER = "X-Siyu-Message-Id";
    private static final Logger log = LoggerFactory.getLogger(NoticeSender.class);

    private final FulfilmentNotices notices;
    private final WebhookEndpoints endpoints;
    private final Clock clock;
    private final Duration backoff;
    private final int attempts;
    private final Duration timeout = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "siyu-referral-notices");
        thread.setDaemon(true);
        return thread;
    });

    NoticeSender(FulfilmentNotices notices, WebhookEndpoints endpoints, Clock clock,
            @Value("${siyu.referral.notice-backoff-ms:1000}") long backoffMillis, @Value("${siyu.referral.notice-attempts:8}") int attempts) {
        this.notices = notices;
        this.endpoints = endpoints;
        this.clock = clock;
        this.backoff = Duration.ofMillis(backoffMillis);
        this.attempts = attempts;
    }

    @Override
    public void run(ApplicationArguments args) {
        timer.scheduleWithFixedDelay(this::sendDue, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Asks for a round now (a task just completed). */
    void wake() {
        timer.execute(this::sendDue);
    }

    private void sendDue() {
        try {
            List<FulfilmentNotices.Stored> due = notices.lease(clock.instant(), 20);
            due.forEach(this::send);
        } catch (RuntimeException e) {
            // leased rows come back when the lease ends; nothing is lost
            log.error("Could not send fulfilment notices; retrying", e);
        }
    }

    private void send(FulfilmentNotices.Stored notice) {
        Optional<WebhookEndpoints.Endpoint> endpoint = endpoints.find(notice.tenant(), notice.endpoint());
        if (endpoint.isEmpty()) {
            retry(notice, Duration.ZERO, "webhook endpoint '" + notice.endpoint() + "' is not registered");
            return;
        }
        long t = clock.millis() / 1000;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(endpoint.get().url())).timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header(MESSAGE_ID_HEADER, notice.messageId())
                    .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(endpoint.get().secret(), t, notice.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(notice.body(), StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            notices.end(notice, "FAILED", "bad endpoint URL: " + e.getMessage());
            return;
        }
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                notices.sent(notice, clock.instant());
            } else if (status == 408 || status == 429 || status >= 500) {
                Duration after = response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,6}"))
                        .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(Duration.ZERO);
                retry(notice, after, "HTTP " + status);
            } else {
                notices.end(notice, "FAILED", "HTTP " + status);
            }
        } catch (HttpTimeoutException e) {
            retry(notice, Duration.ZERO, "timeout: " + e.getMessage());
        } catch (IOException e) {
            retry(notice, Duration.ZERO, "connection: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retry(notice, Duration.ZERO, "interrupted");
        }
    }

    private void retry(FulfilmentNotices.Stored notice, Duration remoteAsks, String error) {
        int attempt = notice.attempts() + 1;
        if (attempt >= attempts) {
            notices.end(notice, "DEAD", error);
            return;
        }
        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        if (wait.compareTo(Duration.ofHours(1)) > 0) {
            wait = Duration.ofHours(1);
        }
        Instant next = clock.instant().plus(remoteAsks.compareTo(wait) > 0 ? remoteAsks : wait);
        notices.retryAt(notice, next, error);
    }

    /** Hex HMAC-SHA256 of {@code t + "." + body}, the channel webhooks' scheme, so one receiver verifies both. */
    static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
