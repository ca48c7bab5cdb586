package io.siyu.privacy;

import io.siyu.platform.Caller;
import io.siyu.platform.Credentials;
import io.siyu.platform.Forbidden;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's access: members and their roles, role-bearing API tokens, OAuth2 clients, write-key
 * scopes and rates, personal access tokens, and releasing frozen accounts. Every change is audited.
 */
@RestController
@RequestMapping("/api/v1/access")
class AccessController {

    record NewMember(@Nullable String username, @Nullable String password, @Nullable String role) {}

    record NewToken(@Nullable String name, @Nullable String role) {}

    record NewPersonalToken(@Nullable String name, @Nullable Integer days) {}

    record KeyLimits(@Nullable List<String> scopes, @Nullable Integer ratePerSecond) {}

    record Release(@Nullable String caller) {}

    private final Members members;
    private final Credentials credentials;
    private final OAuthClients clients;
    private final PersonalTokens personalTokens;
    private final ExportWatch exports;
    private final AuditLog audit;

    AccessController(Members members, Credentials credentials, OAuthClients clients, PersonalTokens personalTokens,
            ExportWatch exports, AuditLog audit) {
        this.members = members;
        this.credentials = credentials;
        this.clients = clients;
        this.personalTokens = personalTokens;
        this.exports = exports;
        this.audit = audit;
    }

    @PostMapping("/members")
    @ResponseStatus(HttpStatus.CREATED)
    Members.Member createMember(TenantId tenant, Caller caller, @RequestBody NewMember body) {
        Members.Member member = members.create(tenant, body.username(), body.password(), body.role());
        audit.recordAndWait(tenant, caller.actor(), "member.created", "member:" + member.username(), "role=" + member.role().key());
        return member;
    }

    @GetMapping("/members")
    List<Members.Member> members(TenantId tenant) {
        return members.all(tenant);
    }

    @PostMapping("/api-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    Credentials.Issued issueApiToken(TenantId tenant, Caller caller, @RequestBody NewToken body) {
        Credentials.Issued issued = credentials.issueApiToken(tenant, body.name() == null ? "" : body.name(), Members.role(body.role()));
        audit.recordAndWait(tenant, caller.actor(), "api-token.issued", "token:" + issued.name(), "role=" + body.role());
        return issued;
    }

    @PostMapping("/oauth-clients")
    @ResponseStatus(HttpStatus.CREATED)
    OAuthClients.Registered registerClient(TenantId tenant, Caller caller, @RequestBody NewToken body) {
        OAuthClients.Registered client = clients.register(tenant, body.name(), body.role());
        audit.recordAndWait(tenant, caller.actor(), "oauth-client.registered", "client:" + client.clientId(),
                "role=" + client.role().key());
        return client;
    }

    @GetMapping("/oauth-clients")
    List<OAuthClients.Client> clients(TenantId tenant) {
        return clients.all(tenant);
    }

    @DeleteMapping("/oauth-clients/{clientId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeClient(TenantId tenant, Caller caller, @PathVariable String clientId) {
        clients.revoke(tenant, clientId);
        audit.recordAndWait(tenant, caller.actor(), "oauth-client.revoked", "client:" + clientId, "");
    }

    @PutMapping("/write-keys/{id}")
    Credentials.WriteKeyPolicy limitWriteKey(TenantId tenant, Caller caller, @PathVariable int id, @RequestBody KeyLimits body) {
        if (body.scopes() == null || body.scopes().isEmpty()) {
            throw new InvalidInput("scopes", "required", "scopes must name at least one of " + Credentials.WRITE_SCOPES);
        }
        Credentials.WriteKeyPolicy policy = credentials.limitWriteKey(tenant, id, Set.copyOf(body.scopes()),
                body.ratePerSecond() == null ? 50_000 : body.ratePerSecond());
        audit.recordAndWait(tenant, caller.actor(), "write-key.limited", "write-key:" + id,
                "scopes=" + policy.scopes() + " rate=" + policy.ratePerSecond());
        return policy;
    }

    /** A member's own personal access token; other callers have no member to hold it. */
    @PostMapping("/personal-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    PersonalTokens.Issued issuePersonalToken(TenantId tenant, Caller caller, @RequestBody NewPersonalToken body) {
        String actor = caller.actor();
        if (!actor.startsWith("member:")) {
            throw new Forbidden("只有成员本人可以创建个人访问令牌 / only a signed-in member can make a personal access token");
        }
        Members.Member member = members.find(tenant, actor.substring(7))
                .orElseThrow(() -> new Forbidden("the member of this token no longer exists"));
        PersonalTokens.Issued issued = personalTokens.issue(member, body.name(), body.days());
        audit.recordAndWait(tenant, actor, "personal-token.issued", actor, "name=" + issued.name() + " expires=" + issued.expiresAt());
        return issued;
    }

    @GetMapping("/frozen")
    List<ExportWatch.Frozen> frozen(TenantId tenant) {
        return exports.frozen(tenant);
    }

    @PostMapping("/frozen/release")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void release(TenantId tenant, Caller caller, @RequestBody Release body) {
        if (body.caller() == null || body.caller().isBlank()) {
            throw new InvalidInput("caller", "required", "caller (e.g. member:li.lei) is required");
        }
        exports.release(tenant, body.caller(), caller);
    }
}
