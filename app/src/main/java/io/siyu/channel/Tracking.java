package io.siyu.channel;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Signed tracking tokens for the e-mail open pixel and click redirects. A token carries the tenant,
 * the message id and (for clicks) the target URL, and an HMAC under the tenant's key: the redirect
 * endpoint follows only URLs that Siyu itself put into a message, so it cannot be used as an open
 * redirect, and nobody can forge opens or clicks for another message.
 */
@Component
public class Tracking {

    /** What a valid token names; {@code url} is empty for the open pixel. */
    public record Target(TenantId tenant, String messageId, String url) {}

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final FieldCipher cipher;
    private final String publicUrl;

    Tracking(FieldCipher cipher, @Value("${siyu.public-url:http://localhost:8080}") String publicUrl) {
        this.cipher = cipher;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public String clickUrl(TenantId tenant, String messageId, String url) {
        return publicUrl + "/t/c/" + token(tenant, messageId, url);
    }

    public String pixelUrl(TenantId tenant, String messageId) {
        return publicUrl + "/t/o/" + token(tenant, messageId, "");
    }

    String token(TenantId tenant, String messageId, String url) {
        String payload = tenant.value() + "\n" + messageId + "\n" + url;
        return B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + cipher.blindIndex(tenant, "tracking", payload);
    }

    /** The target of a token, or empty when it is malformed or its signature does not match. */
    public Optional<Target> verify(String token) {
        int dot = token.lastIndexOf('.');
        if (dot <= 0 || token.length() > 4096) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(B64D.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = payload.split("\n", 3);
        if (parts.length != 3 || !parts[0].matches("[1-9][0-9]{0,9}")) {
            return Optional.empty();
        }
        TenantId tenant;
        try {
            tenant = new TenantId(Integer.parseInt(parts[0]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = cipher.blindIndex(tenant, "tracking", payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        if (!parts[2].isEmpty() && !isWebUrl(parts[2])) {
            return Optional.empty();
        }
        return Optional.of(new Target(tenant, parts[1], parts[2]));
    }

    static boolean isWebUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
