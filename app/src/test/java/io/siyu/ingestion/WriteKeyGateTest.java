package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A write key's scopes and rate hold however the key is sent — as the HTTP Basic user name or as
 * {@code writeKey} in the body — on the lean single-event path ({@code /v1/track}, {@link
 * SingleEventPath}) and on the controller's ({@code /v1/batch}, {@code /v1/import/}, and a gzip
 * {@code /v1/track}, which the lean path hands on). A key in the body used to skip both checks.
 */
class WriteKeyGateTest extends ApiTest {

    private static final String TRACK = "{\"userId\":\"gate-u\",\"event\":\"Gate Checked\"}";
    private static final String BATCH = "{\"batch\":[{\"type\":\"track\",\"userId\":\"gate-u\",\"event\":\"Gate Checked\"}]}";

    private record Call(String path, String body, boolean gzip) {}

    private static final List<Call> CALLS = List.of(new Call("/v1/track", TRACK, false), new Call("/v1/track", TRACK, true),
            new Call("/v1/batch", BATCH, false), new Call("/v1/import/", BATCH, false));

    private void limit(Brand brand, String scopes, int ratePerSecond) {
        int keyId = credentials.writeKeys(brand.tenant().id()).getFirst().id();
        var answer = send(HttpRequest.newBuilder(URI.create(url("/api/v1/access/write-keys/" + keyId)))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":" + scopes + ",\"ratePerSecond\":" + ratePerSecond + "}"))
                .build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** The call with the key in the Authorization header, or only in the body. */
    private HttpResponse<String> call(Call call, Brand brand, boolean keyInBody) {
        return call(call, brand.writeKey(), keyInBody);
    }

    private HttpResponse<String> call(Call call, String writeKey, boolean keyInBody) {
        String body = keyInBody ? "{\"writeKey\":\"" + writeKey + "\"," + call.body().substring(1) : call.body();
        var request = HttpRequest.newBuilder(URI.create(url(call.path()))).header("Content-Type", "application/json");
        if (!keyInBody) {
            request.header("Authorization", basic(writeKey));
        }
        if (call.gzip()) {
            request.header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body)));
        } else {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request.build());
    }

    private static byte[] gzip(String text) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void aCallOutsideTheKeysScopesIsRefusedWhereverTheKeyIsSent() {
        for (Call call : CALLS) {
            for (boolean keyInBody : new boolean[] {false, true}) {
                Brand brand = newBrand();
                String scope = call.path().startsWith("/v1/track") ? "track" : "batch";
                limit(brand, scope.equals("track") ? "[\"identify\",\"batch\"]" : "[\"track\",\"identify\"]", 100);
                HttpResponse<String> refused = call(call, brand, keyInBody);
                String what = call + (keyInBody ? " key in body" : " key in header");
                assertThat(refused.statusCode()).as(what + ": " + refused.body()).isEqualTo(403);
                assertThat(refused.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                JsonNode problem = body(refused);
                assertThat(problem.path("type").asString()).as(what).isEqualTo("https://siyu.io/problems/forbidden");
                assertThat(problem.path("status").asInt()).as(what).isEqualTo(403);
                assertThat(problem.path("detail").asString()).as(what).contains("'" + scope + "'");
                assertThat(problem.path("instance").asString()).as(what).isEqualTo(call.path());
            }
        }
    }

    @Test
    void aKeyOverItsRateIsAnswered429WithRetryAfterWhereverTheKeyIsSent() {
        for (Call call : CALLS) {
            for (boolean keyInBody : new boolean[] {false, true}) {
                Brand brand = newBrand();
                limit(brand, "[\"track\",\"batch\"]", 1);
                String what = call + (keyInBody ? " key in body" : " key in header");
                List<Integer> statuses = new ArrayList<>();
                HttpResponse<String> last = null;
                for (int i = 0; i < 4; i++) {
                    last = call(call, brand, keyInBody);
                    statuses.add(last.statusCode());
                }
                assertThat(statuses).as(what).contains(200).contains(429).containsOnly(200, 429);
                assertThat(last.statusCode()).as(what + " " + statuses).isEqualTo(429);
                assertThat(last.headers().firstValue("Retry-After")).as(what).hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isPositive());
                JsonNode problem = body(last);
                assertThat(problem.path("type").asString()).as(what).isEqualTo("https://siyu.io/problems/too-many-requests");
                assertThat(problem.path("status").asInt()).as(what).isEqualTo(429);
            }
        }
    }

    @Test
    void anUnknownKeyInTheHeaderOrTheBodyIsStill401() {
        for (Call call : CALLS) {
            for (boolean keyInBody : new boolean[] {false, true}) {
                HttpResponse<String> answer = call(call, "wk_unknown_" + call.path().length(), keyInBody);
                assertThat(answer.statusCode()).as(call + " " + keyInBody + ": " + answer.body()).isEqualTo(401);
            }
        }
    }
}
