package io.siyu.privacy;

import io.siyu.platform.BearerTokens;
import io.siyu.platform.Caller;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import io.siyu.platform.Unauthorized;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Short-lived JWT access tokens (RFC 7519, HS256 with a key derived from the master key) for OAuth2
 * clients and signed-in members. Only {@code HS256} is accepted, so a token cannot choose its own
 * algorithm ({@code none}, or RS256 with the HMAC key as public key). The holder is looked up on
 * every call: revoking a client, or changing a member's role, takes effect at once.
 */
@Component
@Order(2)
class AccessTokens implements BearerTokens {

    static final Duration LIFETIME = Duration.ofHours(1);
    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** A token as handed out. */
    record Issued(String accessToken, long expiresIn, Role role) {}

    private final byte[] key;
    private final Clock clock;
    private final JsonMapper json;
    private final Members members;
    private final OAuthClients clients;

    AccessTokens(FieldCipher cipher, Clock clock, JsonMapper json, Members members, OAuthClients clients) {
        this.key = cipher.derivedKey("jwt-hs256");
        this.clock = clock;
        this.json = json;
        this.members = members;
        this.clients = clients;
    }

    /** @param subject {@code member:<id>} or {@code client:<client id>} */
    Issued issue(TenantId tenant, String subject, Role role) {
        long now = clock.millis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "siyu");
        claims.put("sub", subject);
        claims.put("tid", tenant.value());
        claims.put("role", role.key());
        claims.put("iat", now);
        claims.put("exp", now + LIFETIME.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = HEADER + "." + b64(json.writeValueAsBytes(claims));
        return new Issued(signingInput + "." + b64(sign(signingInput)), LIFETIME.toSeconds(), role);
    }

    @Override
    public Optional<Caller> callerOf(String token) {
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        if (first <= 0 || last == first || token.indexOf('.', first + 1) != last) {
            return Optional.empty();
        }
        String signingInput = token.substring(0, last);
        byte[] signature;
        JsonNode header;
        JsonNode claims;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(last + 1));
            header = json.readTree(Base64.getUrlDecoder().decode(token.substring(0, first)));
            claims = json.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, last)));
        } catch (RuntimeException e) {
            throw new Unauthorized("Bearer", "the access token is malformed");
        }
        if (!"HS256".equals(header.path("alg").asString("")) || !MessageDigest.isEqual(signature, sign(signingInput))) {
            throw new Unauthorized("Bearer", "the access token's signature is not valid");
        }
        if (claims.path("exp").asLong(0) <= clock.millis() / 1000) {
            throw new Unauthorized("Bearer", "the access token has expired; ask /oauth/token for a new one");
        }
        String subject = claims.path("sub").asString("");
        int tenant = claims.path("tid").asInt(0);
        if (tenant <= 0) {
            throw new Unauthorized("Bearer", "the access token names no tenant");
        }
        return Optional.of(holder(new TenantId(tenant), subject));
    }

    private Caller holder(TenantId tenant, String subject) {
        if (subject.startsWith("member:")) {
            int id = Integer.parseInt(subject.substring(7));
            Members.Member member = members.find(id).filter(m -> m.tenant().equals(tenant))
                    .orElseThrow(() -> new Unauthorized("Bearer", "the member of this token no longer exists"));
            return new Caller.TenantToken(tenant, "member:" + member.username(), member.role());
        }
        if (subject.startsWith("client:")) {
            OAuthClients.Client client = clients.find(subject.substring(7)).filter(c -> c.tenant().equals(tenant))
                    .orElseThrow(() -> new Unauthorized("Bearer", "the client of this token was revoked"));
            return new Caller.TenantToken(tenant, "client:" + client.clientId(), client.role());
        }
        throw new Unauthorized("Bearer", "the access token names no known subject");
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
