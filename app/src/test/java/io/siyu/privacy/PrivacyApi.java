package io.siyu.privacy;

import io.siyu.platform.Role;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/** End-to-end tests of the privacy capability: role tokens and calls with any bearer token. */
abstract class PrivacyApi extends ApiTest {

    /** A tenant API token acting with {@code role}. */
    protected String token(Brand brand, Role role) {
        return credentials.issueApiToken(brand.tenant().id(), role.key() + "-" + System.nanoTime(), role).secret();
    }

    protected HttpResponse<String> call(String method, String path, String bearer, @Nullable String body) {
        return call(method, path, bearer, null, body);
    }

    protected HttpResponse<String> call(String method, String path, String bearer, @Nullable String tenantHeader,
            @Nullable String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + bearer);
        if (tenantHeader != null) {
            request.header("X-Siyu-Tenant", tenantHeader);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(request.build());
    }

    protected HttpResponse<String> asAdmin(String method, String path, Brand brand, @Nullable String body) {
        return call(method, path, ADMIN, brand.slug(), body);
    }

    protected HttpResponse<String> form(String path, @Nullable String basicAuth, String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (basicAuth != null) {
            request.header("Authorization", basicAuth);
        }
        return send(request.build());
    }

    protected static String basicOf(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
