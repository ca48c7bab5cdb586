package io.siyu.service.wecom;

import io.siyu.platform.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three WeCom calls customer service needs, over the JDK's HTTP client: {@code gettoken} (the
 * access token is cached per brand until shortly before it expires, and fetched again once when
 * WeCom rejects it), {@code kf/sync_msg} and {@code kf/send_msg}. Every call has a hard timeout and
 * a cap on the answer's size; anything but {@code errcode 0} is a {@link KfCallFailed}.
 *
 * <p>WxJava's {@code WxCpKfService} covers the same calls but needs one configured
 * {@code WxCpService} (and its HTTP stack and token store) per brand; these three JSON calls are
 * smaller than that wiring.
 */
@Component
class KfClient {

    /** One page of {@code kf/sync_msg}. */
    record Page(List<KfMessage> messages, String nextCursor, boolean hasMore) {}

    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    private record AccessToken(String corpId, String apiBase, String secret, String value, Instant expiresAt) {}

    private final JsonMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<TenantId, AccessToken> tokens = new ConcurrentHashMap<>();

    KfClient(JsonMapper json, Clock clock, @Value("${siyu.service.wecom.timeout:5s}") Duration timeout) {
        this.json = json;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Page sync(TenantId tenant, String corpId, KfSettings.Settings settings, String openKfId, String callbackToken,
            @Nullable String cursor, int limit) {
        ObjectNode body = json.createObjectNode();
        if (cursor != null) {
            body.put("cursor", cursor);
        }
        body.put("token", callbackToken).put("limit", limit).put("voice_format", 0).put("open_kfid", openKfId);
        JsonNode answer = call(tenant, corpId, settings, "/cgi-bin/kf/sync_msg", body);
        List<KfMessage> messages = new ArrayList<>();
        for (JsonNode m : answer.path("msg_list")) {
            if (m.isObject()) {
                messages.add(KfMessage.of(m));
            }
        }
        return new Page(messages, answer.path("next_cursor").asString(""), answer.path("has_more").asInt(0) == 1);
    }

    /** Sends a text to the customer; answers WeCom's msgid. {@code msgid} makes a resend after a lost answer harmless. */
    String send(TenantId tenant, String corpId, KfSettings.Settings settings, String openKfId, String externalUserId, String msgid,
            String text) {
        ObjectNode body = json.createObjectNode().put("touser", externalUserId).put("open_kfid", openKfId).put("msgid", msgid)
                .put("msgtype", "text");
        body.putObject("text").put("content", text);
        return call(tenant, corpId, settings, "/cgi-bin/kf/send_msg", body).path("msgid").asString(msgid);
    }

    /** Forgets a cached token, e.g. after the brand changed its secret. */
    void forget(TenantId tenant) {
        tokens.remove(tenant);
    }

    private JsonNode call(TenantId tenant, String corpId, KfSettings.Settings settings, String path, JsonNode body) {
        try {
            return post(settings.apiBase() + path + "?access_token=" + encode(token(tenant, corpId, settings)), body);
        } catch (KfCallFailed e) {
            if (!e.tokenRejected()) {
                throw e;
            }
            tokens.remove(tenant);
            return post(settings.apiBase() + path + "?access_token=" + encode(token(tenant, corpId, settings)), body);
        }
    }

    private String token(TenantId tenant, String corpId, KfSettings.Settings settings) {
        AccessToken cached = tokens.get(tenant);
        Instant now = clock.instant();
        if (cached != null && cached.corpId().equals(corpId) && cached.apiBase().equals(settings.apiBase())
                && cached.secret().equals(settings.secret()) && now.isBefore(cached.expiresAt())) {
            return cached.value();
        }
        JsonNode answer = exchange(HttpRequest.newBuilder(uri(settings.apiBase() + "/cgi-bin/gettoken?corpid=" + encode(corpId)
                + "&corpsecret=" + encode(settings.secret()))).GET(), "gettoken");
        String value = answer.path("access_token").asString("");
        if (value.isEmpty() || value.length() > 1024) {
            throw new KfCallFailed("gettoken answered no usable access_token", -1);
        }
        long expiresIn = Math.clamp(answer.path("expires_in").asLong(7200), 60, 7200);
        tokens.put(tenant, new AccessToken(corpId, settings.apiBase(), settings.secret(), value, now.plusSeconds(expiresIn - 30)));
        return value;
    }

    private JsonNode post(String url, JsonNode body) {
        String path = URI.create(url).getPath();
        return exchange(HttpRequest.newBuilder(uri(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), path);
    }

    private JsonNode exchange(HttpRequest.Builder builder, String what) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new KfCallFailed("WeCom " + what + " did not answer: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KfCallFailed("WeCom " + what + " interrupted", e);
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new KfCallFailed("WeCom " + what + " answered more than " + MAX_ANSWER_BYTES + " bytes", -1);
            }
            if (response.statusCode() / 100 != 2) {
                throw new KfCallFailed("WeCom " + what + " answered HTTP " + response.statusCode(), -1);
            }
            answer = json.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof KfCallFailed failed) {
                throw failed;
            }
            throw new KfCallFailed("WeCom " + what + " answered something that is not JSON", e);
        }
        if (answer == null || !answer.isObject()) {
            throw new KfCallFailed("WeCom " + what + " answered something that is not a JSON object", -1);
        }
        int errcode = answer.path("errcode").asInt(0);
        if (errcode != 0) {
            String errmsg = answer.path("errmsg").asString("");
            throw new KfCallFailed("WeCom " + what + " errcode " + errcode + ": " + errmsg.substring(0, Math.min(200, errmsg.length())), errcode);
        }
        return answer;
    }

    private static URI uri(String url) {
        return URI.create(url);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
