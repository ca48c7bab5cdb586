package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siyu.platform.WriteKeyGate;
import io.siyu.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;

/**
 * The lean single-message path ({@link SingleEventPath}): what it answers itself, that everything
 * else reaches the controller with its body intact and charged once, and that the answers over HTTP
 * are the controller's (malformed, oversized, hostile and duplicate input).
 */
class SingleEventPathTest extends ApiTest {

    @Autowired
    Intake intake;

    @Autowired
    WriteKeyGate gate;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private SingleEventPath filter() {
        return new SingleEventPath(intake, gate, json, meters);
    }

    private long answered(String uri, String status) {
        var timer = meters.find("siyu.ingest.requests").tag("uri", uri).tag("status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    private static MockHttpServletRequest request(String path, String writeKey, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        if (writeKey != null) {
            request.addHeader("Authorization", basic(writeKey));
        }
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    @Test
    void answersAValidMessageItselfOnlyOnceItIsDurableAndApplied() throws Exception {
        Brand brand = newBrand();
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter().doFilter(request("/v1/track", brand.writeKey(), """
                {"userId":"lean-1","event":"Product Viewed","properties":{"product_id":"p-1","category":"美妆"}}"""),
                response, chain);
        assertThat(chain.getRequest()).as("not handed on").isNull();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json");
        assertThat(response.getContentAsString()).isEqualTo("{\"success\":true}");
        assertThat(response.getHeaders("Vary")).containsExactly("Origin", "Access-Control-Request-Method",
                "Access-Control-Request-Headers");
        assertThat(profile(brand, "user_id:lean-1").path("stats").path("eventCounts").path("Product Viewed").asInt())
                .isEqualTo(1);

        // the write key in the body (analytics.js), a one-letter path, another call
        MockHttpServletRequest identify = request("/v1/i", null,
                "{\"writeKey\":\"" + brand.writeKey() + "\",\"userId\":\"lean-1\",\"traits\":{\"city\":\"成都\"}}");
        MockFilterChain second = new MockFilterChain();
        MockHttpServletResponse identified = new MockHttpServletResponse();
        filter().doFilter(identify, identified, second);
        assertThat(second.getRequest()).isNull();
        assertThat(identified.getStatus()).isEqualTo(200);
        assertThat(profile(brand, "user_id:lean-1").path("traits").path("city").asString()).isEqualTo("成都");
        assertThat(answered("/v1/track", "200")).isEqualTo(1);
        assertThat(answered("/v1/i", "200")).isEqualTo(1);

        // a path the client dressed up does not become a new tag value
        MockHttpServletRequest dressed = request("/v1/track", brand.writeKey(), "{\"userId\":\"lean-1\",\"event\":\"Logged In\"}");
        dressed.setServletPath("/v1/track;jsessionid=" + "x".repeat(40));
        filter().doFilter(dressed, new MockHttpServletResponse(), new MockFilterChain());
        assertThat(answered("other", "200")).isEqualTo(1);
        assertThat(meters.find("siyu.ingest.requests").timers()).hasSize(3);
    }

    @Test
    void handsEverythingUnusualToTheControllerWithTheBodyIntactAndRecordsNothing() throws Exception {
        Brand brand = newBrand();
        List<String> bodies = List.of(
                "{\"userId\": ",                                                     // not JSON
                "[1,2]",                                                            // not an object
                "\"text\"",
                "{\"userId\":\"u\",\"event\":\"Order Completed\",\"properties\":{\"total\":-5}}", // breaks its schema
                "{\"event\":\"E\"}",                                                // no user
                "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"yesterday\"}",
                "[".repeat(5_000) + "]".repeat(5_000));                             // nested past the parser's limit
        for (String body : bodies) {
            MockFilterChain chain = new MockFilterChain();
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter().doFilter(request("/v1/track", brand.writeKey(), body), response, chain);
            assertThat(chain.getRequest()).as(body).isNotNull();
            assertThat(chain.getRequest().getInputStream().readAllBytes()).as(body)
                    .isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.getStatus()).isEqualTo(200); // untouched: the controller answers
            assertThat(response.getContentAsByteArray()).isEmpty();
        }
        assertThat(body(get("/api/v1/quarantine", brand)).path("items").size()).as("the controller quarantines, not the filter")
                .isZero();

        // no key, an unknown key, a broken Basic header even with a good key in the body
        for (MockHttpServletRequest request : List.of(request("/v1/track", null, "{\"userId\":\"u\",\"event\":\"E\"}"),
                request("/v1/track", "wk_forged", "{\"userId\":\"u\",\"event\":\"E\"}"),
                brokenBasic(request("/v1/track", null, "{\"writeKey\":\"" + brand.writeKey() + "\",\"userId\":\"u\",\"event\":\"E\"}")))) {
            MockFilterChain chain = new MockFilterChain();
            filter().doFilter(request, new MockHttpServletResponse(), chain);
            assertThat(chain.getRequest()).isNotNull();
        }

        // gzip, no length, too long: handed on unread
        MockHttpServletRequest gzip = request("/v1/track", brand.writeKey(), "plain");
        gzip.addHeader("Content-Encoding", "gzip");
        MockHttpServletRequest tooLong = request("/v1/track", brand.writeKey(), "{\"blob\":\"" + "x".repeat(33 * 1024) + "\"}");
        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/v1/track");
        for (MockHttpServletRequest request : List.of(gzip, tooLong, get)) {
            MockFilterChain chain = new MockFilterChain();
            filter().doFilter(request, new MockHttpServletResponse(), chain);
            assertThat(chain.getRequest()).isSameAs(request);
        }
        assertThat(body(get("/api/v1/profiles?identifier=user_id:u", brand)).path("stats").path("eventCount").asInt(0))
                .as("nothing was accepted").isZero();
        assertThat(meters.find("siyu.ingest.requests").timers()).as("what was handed on is timed by MVC's observation")
                .isEmpty();
    }

    private static MockHttpServletRequest brokenBasic(MockHttpServletRequest request) {
        request.addHeader("Authorization", "Basic %%%not-base64");
        return request;
    }

    @Test
    void answersOverHttpAsTheControllerDoes() {
        Brand brand = newBrand();
        // malformed
        var notJson = post("/v1/track", brand.writeKey(), "{\"userId\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(body(notJson).path("errors").get(0).path("field").asString()).isEqualTo("body");
        assertThat(body(notJson).path("errors").get(0).path("rule").asString()).isEqualTo("json");
        // hostile: nesting past the parser's limit, within 32 KB
        var deep = post("/v1/identify", brand.writeKey(), "{\"traits\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(body(deep).path("errors").get(0).path("rule").asString()).isEqualTo("json");
        // oversized
        var big = post("/v1/page", brand.writeKey(), "{\"userId\":\"u\",\"name\":\"" + "x".repeat(33 * 1024) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(body(big).path("errors").get(0).path("rule").asString()).isEqualTo("max-size");
        // schema: quarantined by the controller, once
        var bad = post("/v1/track", brand.writeKey(), "{\"userId\":\"q\",\"event\":\"Order Completed\",\"properties\":{\"total\":-5}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(body(bad).path("quarantineId").asLong()).isPositive();
        assertThat(body(get("/api/v1/quarantine", brand)).path("items").size()).isEqualTo(1);
        // unknown key
        assertThat(post("/v1/track", "wk_forged", "{\"userId\":\"u\",\"event\":\"E\"}").statusCode()).isEqualTo(401);
        // duplicate: acknowledged every time, applied once, on every single-message path
        String event = "{\"userId\":\"dup\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"o-9\",\"total\":30},"
                + "\"messageId\":\"lean-dup\"}";
        for (String path : List.of("/v1/track", "/v1/t", "/v1/track/")) {
            var response = post(path, brand.writeKey(), event);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"success\":true}");
        }
        JsonNode stats = profile(brand, "user_id:dup").path("stats");
        assertThat(stats.path("orderCount").asInt()).isEqualTo(1);
        assertThat(stats.path("totalSpend").decimalValue()).isEqualByComparingTo("30");
    }

    @Test
    void aBodyShorterThanItsLengthIsRefusedAsTheControllerRefusesIt() throws Exception {
        Brand brand = newBrand();
        String single = truncated("/v1/track", brand, "{\"userId\":\"short\"");
        String batch = truncated("/v1/batch", brand, "{\"batch\":[{\"userId\":\"short\"");
        assertThat(single).startsWith("HTTP/1.1 4");
        assertThat(statusLine(single)).as("the same answer as the controller's batch endpoint gives")
                .isEqualTo(statusLine(batch));
    }

    /** A request announcing 200 bytes, sending fewer, then closing its side. */
    private String truncated(String path, Brand brand, String partial) throws Exception {
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic(brand.writeKey())
                + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((head + partial).getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String answer) {
        return answer.substring(0, answer.indexOf('\r'));
    }

    @Test
    void corsHeadersAreThoseOfTheMvcEndpoints() {
        Brand brand = newBrand();
        String origin = "https://shop.example.cn";
        var single = send(HttpRequest.newBuilder(URI.create(url("/v1/t"))).header("Content-Type", "text/plain")
                .header("Origin", origin).header("Authorization", basic(brand.writeKey()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"anonymousId\":\"c\",\"event\":\"E\"}")).build());
        var batch = send(HttpRequest.newBuilder(URI.create(url("/v1/b"))).header("Content-Type", "text/plain")
                .header("Origin", origin).header("Authorization", basic(brand.writeKey()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"c\",\"event\":\"E\"}]}"))
                .build());
        assertThat(single.statusCode()).isEqualTo(200);
        assertThat(batch.statusCode()).isEqualTo(200);
        for (String header : List.of("Access-Control-Allow-Origin", "Vary", "Access-Control-Allow-Credentials", "Content-Type")) {
            assertThat(single.headers().allValues(header)).as(header).isEqualTo(batch.headers().allValues(header));
        }
        assertThat(single.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
    }

    @Test
    void aRequestHandedOnIsChargedOnceAgainstItsKeysRate() {
        Brand brand = newBrand();
        int keyId = credentials.writeKeys(brand.tenant().id()).getFirst().id();
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/api/v1/access/write-keys/" + keyId)))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"track\"],\"ratePerSecond\":1}")).build()).statusCode())
                .isEqualTo(200);
        // a burst of two: the first is handed to the controller (it breaks its schema), the second is served here
        assertThat(post("/v1/track", brand.writeKey(), "{\"userId\":\"r\"}").statusCode()).isEqualTo(400);
        assertThat(post("/v1/track", brand.writeKey(), "{\"userId\":\"r\",\"event\":\"E\"}").statusCode())
                .as("charged once by the filter, not again by the controller's filter").isEqualTo(200);
        assertThat(post("/v1/identify", brand.writeKey(), "{\"userId\":\"r\"}").statusCode()).as("outside the scopes")
                .isEqualTo(403);
    }
}
