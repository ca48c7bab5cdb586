package io.siyu.channel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local server speaking the official-account API as WxJava calls it: {@code GET /cgi-bin/token}
 * (checks appid and secret, hands out numbered tokens), {@code POST /cgi-bin/message/template/send}
 * and {@code POST /cgi-bin/message/subscribe/bizsend} (check the token, record the JSON, answer
 * with queued error codes first, then success with a msgid). Like WeChat, a template message that
 * repeats a {@code client_msg_id} for the same openid is not delivered twice. {@code POST /cgi-bin/qrcode/create}
 * answers a ticket and the url a parametric QR code encodes.
 */
final class MpServer implements AutoCloseable {

    static final String APP_ID = "wx0123456789abcdef";
    static final String SECRET = "mp-secret";

    /** A request as received: path and JSON body. */
    record Received(String path, JsonNode body) {}

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Error codes to answer the next sends with, in order. */
    final ConcurrentLinkedQueue<Integer> errors = new ConcurrentLinkedQueue<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** Tokens the server has since declared expired (WeChat answers 42001 for them). */
    final Map<String, Boolean> expired = new ConcurrentHashMap<>();
    final Map<String, String> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger msgIds = new AtomicInteger(1000);

    MpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/token", this::token);
        server.createContext("/cgi-bin/message/template/send", ex -> send(ex, "template"));
        server.createContext("/cgi-bin/message/subscribe/bizsend", ex -> send(ex, "subscribe"));
        server.createContext("/cgi-bin/qrcode/create", this::qrcode);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        if (!query.contains("grant_type=client_credential") || !query.contains("appid=" + APP_ID) || !query.contains("secret=" + SECRET)) {
            answer(ex, "{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}");
            return;
        }
        answer(ex, "{\"access_token\":\"TOKEN-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":7200}");
    }

    private void send(HttpExchange ex, String kind) throws IOException {
        String query = ex.getRequestURI().getQuery();
        String token = query == null || !query.startsWith("access_token=") ? "" : query.substring("access_token=".length());
        if (!token.startsWith("TOKEN-")) {
            answer(ex, "{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}");
            return;
        }
        if (expired.containsKey(token)) {
            answer(ex, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }
        JsonNode body = json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(new Received(kind, body));
        Integer error = errors.poll();
        if (error != null) {
            answer(ex, "{\"errcode\":" + error + ",\"errmsg\":\"" + switch (error) {
                case 43101 -> "user refuse to accept the msg";
                case 45009 -> "reach max api daily quota limit";
                default -> "error";
            } + "\"}");
            return;
        }
        String key = body.path("touser").asString() + "/" + body.path("client_msg_id").asString("");
        String msgId = kind.equals("template") && body.has("client_msg_id") && delivered.containsKey(key)
                ? delivered.get(key) : Integer.toString(msgIds.incrementAndGet());
        if (kind.equals("template") && body.has("client_msg_id")) {
            delivered.putIfAbsent(key, msgId);
        }
        answer(ex, "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":" + msgId + "}");
    }

    /** {@code qrcode/create}: records the request and answers a ticket whose url is what the QR code encodes. */
    private void qrcode(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        if (query == null || !query.startsWith("access_token=TOKEN-")) {
            answer(ex, "{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}");
            return;
        }
        JsonNode body = json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(new Received("qrcode", body));
        int n = msgIds.incrementAndGet();
        answer(ex, "{\"ticket\":\"gQH47joAAAAAAAAAASxodHRw" + n + "\",\"expire_seconds\":" + body.path("expire_seconds").asInt()
                + ",\"url\":\"http://weixin.qq.com/q/kZgfwMTm72WWPkovabbI" + n + "\"}");
    }

    private static void answer(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; encoding=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
