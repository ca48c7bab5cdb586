package io.siyu.privacy;

import io.siyu.platform.Credentials;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.Role;
import io.siyu.platform.TenantId;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** OAuth2 clients of the client-credentials grant: a role each, the secret kept as a SHA-256 hash. */
@Repository
class OAuthClients {

    record Client(String clientId, TenantId tenant, String name, Role role, Instant createdAt) {}

    /** A new client; {@code clientSecret} is shown once. */
    record Registered(String clientId, String clientSecret, String name, Role role) {}

    private final JdbcClient jdbc;

    OAuthClients(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Registered register(TenantId tenant, @Nullable String name, @Nullable String role) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("name", "length", "name must be 1–100 characters");
        }
        Role parsed = Members.role(role);
        String clientId = "syc_" + Credentials.random(20);
        String secret = Credentials.random(48);
        jdbc.sql("INSERT INTO oauth_clients (tenant_id, client_id, secret_hash, name, role) VALUES (?, ?, ?, ?, ?)")
                .params(tenant.value(), clientId, Credentials.sha256(secret), name, parsed.key()).update();
        return new Registered(clientId, secret, name, parsed);
    }

    List<Client> all(TenantId tenant) {
        return jdbc.sql("SELECT client_id, tenant_id, name, role, created_at FROM oauth_clients WHERE tenant_id = ? AND revoked_at IS NULL ORDER BY id")
                .param(tenant.value()).query(OAuthClients::map).list();
    }

    Optional<Client> find(String clientId) {
        return jdbc.sql("SELECT client_id, tenant_id, name, role, created_at FROM oauth_clients WHERE client_id = ? AND revoked_at IS NULL")
                .param(clientId).query(OAuthClients::map).optional();
    }

    /** The client, when the secret is its own. */
    Optional<Client> authenticate(String clientId, String secret) {
        if (clientId.length() > 100 || secret.length() > 200) {
            return Optional.empty();
        }
        Optional<String> hash = jdbc.sql("SELECT secret_hash FROM oauth_clients WHERE client_id = ? AND revoked_at IS NULL")
                .param(clientId).query(String.class).optional();
        byte[] presented = Credentials.sha256(secret).getBytes(StandardCharsets.US_ASCII);
        if (hash.isEmpty() || !MessageDigest.isEqual(presented, hash.get().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return find(clientId);
    }

    void revoke(TenantId tenant, String clientId) {
        int n = jdbc.sql("UPDATE oauth_clients SET revoked_at = now() WHERE client_id = ? AND tenant_id = ? AND revoked_at IS NULL")
                .params(clientId, tenant.value()).update();
        if (n == 0) {
            throw new NotFound("client " + clientId + " does not exist or is already revoked");
        }
    }

    private static Client map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Client(rs.getString(1), new TenantId(rs.getInt(2)), rs.getString(3), Role.parse(rs.getString(4)).orElseThrow(),
                rs.getTimestamp(5).toInstant());
    }
}
