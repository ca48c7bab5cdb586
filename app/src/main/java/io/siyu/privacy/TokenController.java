package io.siyu.privacy;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import io.siyu.platform.Unauthorized;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where access tokens come from: the OAuth2 token endpoint for the client-credentials grant (RFC
 * 6749 §4.4, client authenticated by HTTP Basic or form fields) and the console's password login.
 * Both answer a short-lived JWT and are audited, failures included.
 */
@RestController
class TokenController {

    record Login(@Nullable String tenant, @Nullable String username, @Nullable String password) {}

    private final OAuthClients clients;
    private final Members members;
    private final AccessTokens tokens;
    private final Tenants tenants;
    private final AuditLog audit;

    TokenController(OAuthClients clients, Members members, AccessTokens tokens, Tenants tenants, AuditLog audit) {
        this.clients = clients;
        this.members = members;
        this.tokens = tokens;
        this.tenants = tenants;
        this.audit = audit;
    }

    @PostMapping(path = "/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(HttpServletRequest request,
            @RequestParam(name = "grant_type", required = false) @Nullable String grantType,
            @RequestParam(name = "client_id", required = false) @Nullable String clientId,
            @RequestParam(name = "client_secret", required = false) @Nullable String clientSecret) {
        if (grantType == null || grantType.isBlank()) {
            return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required");
        }
        if (!grantType.equals("client_credentials")) {
            return oauthError(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "only client_credentials is supported");
        }
        String[] basic = basic(request.getHeader("Authorization"));
        String id = basic != null ? basic[0] : clientId;
        String secret = basic != null ? basic[1] : clientSecret;
        if (id == null || secret == null) {
            return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "client authentication is required");
        }
        Optional<OAuthClients.Client> client = clients.authenticate(id, secret);
        if (client.isEmpty()) {
            audit.record(null, "client:" + abbreviate(id), "oauth.token.refused", "client:" + abbreviate(id), "invalid_client");
            return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "client authentication failed");
        }
        OAuthClients.Client c = client.get();
        AccessTokens.Issued issued = tokens.issue(c.tenant(), "client:" + c.clientId(), c.role());
        audit.recordAndWait(c.tenant(), "client:" + c.clientId(), "oauth.token.issued", "client:" + c.clientId(),
                "role=" + c.role().key());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of(
                "access_token", issued.accessToken(), "token_type", "Bearer", "expires_in", issued.expiresIn(),
                "scope", issued.role().key()));
    }

    @PostMapping("/auth/login")
    ResponseEntity<Map<String, Object>> login(@RequestBody Login body) {
        if (body.tenant() == null || body.tenant().isBlank()) {
            throw new InvalidInput("tenant", "required", "tenant (slug) is required");
        }
        if (body.username() == null || body.username().isBlank() || body.password() == null) {
            throw new InvalidInput("username", "required", "username and password are required");
        }
        if (body.username().length() > 64 || body.password().length() > 200) {
            throw new Unauthorized("Bearer", "用户名或密码错误 / wrong username or password");
        }
        Tenant tenant = tenants.findBySlug(body.tenant()).orElseThrow(() -> new NotFound("tenant '" + abbreviate(body.tenant()) + "' does not exist"));
        String actor = "member:" + body.username();
        Members.Member member;
        try {
            member = members.authenticate(tenant.id(), body.username(), body.password());
        } catch (Unauthorized | TooManyRequests e) {
            audit.record(tenant.id(), actor, "login.failed", actor, e instanceof TooManyRequests ? "locked" : "wrong credentials");
            throw e;
        }
        AccessTokens.Issued issued = tokens.issue(tenant.id(), "member:" + member.id(), member.role());
        audit.recordAndWait(tenant.id(), actor, "login", actor, "role=" + member.role().key());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of(
                "access_token", issued.accessToken(), "token_type", "Bearer", "expires_in", issued.expiresIn(),
                "role", member.role().key()));
    }

    private static String @Nullable [] basic(@Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ResponseEntity<Map<String, Object>> oauthError(HttpStatus status, String error, String description) {
        var builder = ResponseEntity.status(status).cacheControl(CacheControl.noStore());
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header("WWW-Authenticate", "Basic realm=\"siyu\"");
        }
        return builder.body(Map.of("error", error, "error_description", description));
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
