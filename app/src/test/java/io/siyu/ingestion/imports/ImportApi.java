package io.siyu.ingestion.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The running test server as the import tests talk to it: as the administrator, acting on one tenant. */
final class ImportApi {

    static final String ADMIN_TOKEN = "test-admin";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final String tenant;

    ImportApi(int port, String tenant) {
        this.base = "http://localhost:" + port;
        this.tenant = tenant;
    }

    String base() {
        return base;
    }

    String tenant() {
        return tenant;
    }

    Response post(String kind, String contentType, String body) {
        return post(kind, contentType, body.getBytes(StandardCharsets.UTF_8), false);
    }

    Response postGzip(String kind, String contentType, String body) {
        return post(kind, contentType, gzip(body.getBytes(StandardCharsets.UTF_8)), true);
    }

    Response post(String kind, String contentType, byte[] body, boolean gzip) {
        return post(kind, contentType, HttpRequest.BodyPublishers.ofByteArray(body), gzip);
    }

    Response post(String kind, String contentType, HttpRequest.BodyPublisher body, boolean gzip) {
        return post(kind, contentType, body, gzip ? "gzip" : null);
    }

    Response post(String kind, String contentType, HttpRequest.BodyPublisher body, @Nullable String contentEncoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/import/" + kind))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-Siyu-Tenant", tenant)
                .header("Content-Type", contentType)
                .POST(body);
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return send(request.build());
    }

    /** The profile holding {@code identifier} ({@code type:value}), as {@code GET /api/v1/profiles} returns it. */
    Response profile(String identifier) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles?identifier="
                        + URLEncoder.encode(identifier, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-Siyu-Tenant", tenant)
                .GET().build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    record Response(int status, String contentType, JsonNode body) {}
}
