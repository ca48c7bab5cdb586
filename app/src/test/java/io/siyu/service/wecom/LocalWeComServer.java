package io.siyu.service.wecom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local HTTP server speaking the WeCom API that customer service uses: {@code gettoken} (checks
 * corp id and secret, issues access tokens that {@link #expireTokens} revokes: errcode 42001),
 * {@code kf/sync_msg} (checks the access token and that the callback token was announced, serves
 * each kf account's message list by cursor in pages of {@link #pageSize}) and {@code kf/send_msg}
 * (records each message; a repeated msgid is not recorded twice). Requests are counted.
 */
final class LocalWeComServer implements AutoCloseable {

    record Sent(String toUser, String openKfId, String msgid, String text) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String corpId;
    final String secret;
    private final HttpServer server;
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> callbackTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> messages = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final Set<String> refuseSendsTo = ConcurrentHashMap.newKeySet();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final AtomicInteger syncRequests = new AtomicInteger();
    final AtomicInteger sendRequests = new AtomicInteger();
    volatile int pageSize = 1000;
    /** When set, sync_msg answers this body verbatim. */
    volatile String rawSyncAnswer;
    /** When true, sync_msg always says has_more with an empty page and a new cursor. */
    volatile boolean endless;

    LocalWeComServer(String corpId, String secret) throws IOException {
        this.corpId = corpId;
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/gettoken", this::token);
        server.createContext("/cgi-bin/kf/sync_msg", this::sync);
        server.createContext("/cgi-bin/kf/send_msg", this::send);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A kf_msg_or_event callback is about to carry this token. */
    void announce(String callbackToken) {
        callbackTokens.add(callbackToken);
    }

    /** Appends entries (JSON objects) to a kf account's message list. */
    void add(String openKfId, String... entries) {
        messages.computeIfAbsent(openKfId, k -> new CopyOnWriteArrayList<>()).addAll(List.of(entries));
    }

    void expireTokens() {
        accessTokens.clear();
    }

    List<Sent> sentTo(String externalUserId) {
        return sent.stream().filter(s -> s.toUser().equals(externalUserId)).toList();
    }

    static String customerText(String msgid, String openKfId, String externalUserId, String content) {
        ObjectNode m = JSON.createObjectNode().put("msgid", msgid).put("open_kfid", openKfId).put("external_userid", externalUserId)
                .put("send_time", 1764000000).put("origin", 3).put("msgtype", "text");
        m.putObject("text").put("content", content);
        return JSON.writeValueAsString(m);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> query = query(exchange);
        if (!corpId.equals(query.get("corpid")) || !secret.equals(query.get("corpsecret"))) {
            reply(exchange, "{\"errcode\":40001,\"errmsg\":\"invalid credential\"}");
            return;
        }
        String token = "at-" + issued.incrementAndGet();
        accessTokens.add(token);
        reply(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + token + "\",\"expires_in\":7200}");
    }

    private void sync(HttpExchange exchange) throws IOException {
        syncRequests.incrementAndGet();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!accessTokens.contains(query(exchange).get("access_token"))) {
            reply(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        if (rawSyncAnswer != null) {
            reply(exchange, rawSyncAnswer);
            return;
        }
        if (!callbackTokens.contains(body.path("token").asString(""))) {
            reply(exchange, "{\"errcode\":95007,\"errmsg\":\"invalid msg token\"}");
            return;
        }
        String cursor = body.path("cursor").asString("c0");
        int from = Integer.parseInt(cursor.substring(1));
        if (endless) {
            reply(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"c" + (from + 1) + "\",\"has_more\":1,\"msg_list\":[]}");
            return;
        }
        List<String> list = messages.getOrDefault(body.path("open_kfid").asString(""), List.of());
        int to = Math.min(list.size(), from + Math.min(pageSize, body.path("limit").asInt(1000)));
        ObjectNode answer = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok").put("next_cursor", "c" + to)
                .put("has_more", to < list.size() ? 1 : 0);
        ArrayNode page = answer.putArray("msg_list");
        for (String entry : list.subList(Math.min(from, to), to)) {
            page.add(JSON.readTree(entry));
        }
        reply(exchange, JSON.writeValueAsString(answer));
    }

    private void send(HttpExchange exchange) throws IOException {
        sendRequests.incrementAndGet();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!accessTokens.contains(query(exchange).get("access_token"))) {
            reply(exchange, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        String to = body.path("touser").asString("");
        if (refuseSendsTo.contains(to)) {
            reply(exchange, "{\"errcode\":95018,\"errmsg\":\"send msg not allowed\"}");
            return;
        }
        if (!body.path("msgtype").asString("").equals("text") || body.path("open_kfid").asString("").isEmpty()) {
            reply(exchange, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
            return;
        }
        String msgid = body.path("msgid").asString("");
        if (sent.stream().noneMatch(s -> s.msgid().equals(msgid))) {
            sent.add(new Sent(to, body.path("open_kfid").asString(), msgid, body.path("text").path("content").asString("")));
        }
        reply(exchange, "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":\"" + msgid + "\"}");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
