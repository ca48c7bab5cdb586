package io.siyu.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server speaking the OMS and inventory protocol of
 * {@link io.siyu.service.connector.HttpOrderSystem} and {@link io.siyu.service.connector.HttpInventory}:
 * orders and stock are whatever the test puts in; every request is recorded.
 */
public final class LocalCommerceServer implements AutoCloseable {

    public record Recorded(String method, String path, String tenant, String authorization, String body) {}

    private final HttpServer server;
    public final Map<String, String> orders = new ConcurrentHashMap<>();
    public final Map<String, String> stock = new ConcurrentHashMap<>();
    /** Orders whose address can no longer change, with the reason the OMS gives. */
    public final Map<String, String> frozen = new ConcurrentHashMap<>();
    public final List<Recorded> requests = new CopyOnWriteArrayList<>();
    public volatile long delayMillis;

    public LocalCommerceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oms/", this::oms);
        server.createContext("/inventory/", this::inventory);
        server.start();
    }

    public String omsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oms";
    }

    public String inventoryUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/inventory/";
    }

    private void oms(HttpExchange exchange) throws IOException {
        String body = record(exchange);
        String path = exchange.getRequestURI().getPath().substring("/oms/orders/".length());
        if (exchange.getRequestMethod().equals("GET")) {
            String order = orders.get(path);
            reply(exchange, order == null ? 404 : 200, order == null ? "{\"error\":\"not found\"}" : order);
            return;
        }
        String number = path.substring(0, path.indexOf('/'));
        if (!orders.containsKey(number)) {
            reply(exchange, 404, "{}");
        } else if (frozen.containsKey(number)) {
            reply(exchange, 409, "{\"reason\":\"" + frozen.get(number) + "\"}");
        } else {
            reply(exchange, 200, body);
        }
    }

    private void inventory(HttpExchange exchange) throws IOException {
        record(exchange);
        String sku = exchange.getRequestURI().getPath().substring("/inventory/stock/".length());
        String level = stock.get(sku);
        reply(exchange, level == null ? 404 : 200, level == null ? "{}" : level);
    }

    private String record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                String.valueOf(exchange.getRequestHeaders().getFirst("X-Siyu-Tenant")),
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), body));
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return body;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
