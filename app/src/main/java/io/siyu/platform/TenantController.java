package io.siyu.platform;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenants and their credentials. Creating and listing tenants is the administrator's; a tenant token manages its own keys. */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    record NewTenant(@Nullable String slug, @Nullable String name) {}

    record Rename(@Nullable String name) {}

    record NewKey(@Nullable String name) {}

    private final Tenants tenants;
    private final Credentials credentials;

    TenantController(Tenants tenants, Credentials credentials) {
        this.tenants = tenants;
        this.credentials = credentials;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Tenant create(Caller caller, @RequestBody NewTenant body) {
        caller.requireAdmin();
        return tenants.create(body.slug(), body.name());
    }

    @GetMapping
    List<Tenant> list(Caller caller) {
        return switch (caller) {
            case Caller.Admin admin -> tenants.all();
            case Caller.TenantToken token -> tenants.find(token.tenant()).stream().toList();
        };
    }

    @GetMapping("/{id}")
    Tenant get(Caller caller, @PathVariable int id) {
        return existing(caller, id);
    }

    @PatchMapping("/{id}")
    Tenant rename(Caller caller, @PathVariable int id, @RequestBody Rename body) {
        return tenants.rename(existing(caller, id).id(), body.name());
    }

    @PostMapping("/{id}/write-keys")
    @ResponseStatus(HttpStatus.CREATED)
    Credentials.Issued issueWriteKey(Caller caller, @PathVariable int id, @RequestBody NewKey body) {
        return credentials.issueWriteKey(existing(caller, id).id(), body.name());
    }

    @GetMapping("/{id}/write-keys")
    List<Credentials.KeyInfo> writeKeys(Caller caller, @PathVariable int id) {
        return credentials.writeKeys(existing(caller, id).id());
    }

    @DeleteMapping("/{id}/write-keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeWriteKey(Caller caller, @PathVariable int id, @PathVariable int keyId) {
        credentials.revokeWriteKey(existing(caller, id).id(), keyId);
    }

    @PostMapping("/{id}/api-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    Credentials.Issued issueApiToken(Caller caller, @PathVariable int id, @RequestBody NewKey body) {
        return credentials.issueApiToken(existing(caller, id).id(), body.name());
    }

    @GetMapping("/{id}/api-tokens")
    List<Credentials.KeyInfo> apiTokens(Caller caller, @PathVariable int id) {
        return credentials.apiTokens(existing(caller, id).id());
    }

    @DeleteMapping("/{id}/api-tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeApiToken(Caller caller, @PathVariable int id, @PathVariable int tokenId) {
        credentials.revokeApiToken(existing(caller, id).id(), tokenId);
    }

    private Tenant existing(Caller caller, int id) {
        if (id <= 0) {
            throw new NotFound("tenant " + id + " does not exist");
        }
        TenantId tenant = new TenantId(id);
        caller.requireTenant(tenant);
        return tenants.find(tenant).orElseThrow(() -> new NotFound("tenant " + id + " does not exist"));
    }
}
