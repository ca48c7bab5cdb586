package io.siyu.channel;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A tenant's webhook endpoints (CRM, ERP, fulfilment) with their signing secrets, kept encrypted;
 * the secret is shown once, when the endpoint is registered.
 */
@Repository
public class WebhookEndpoints {

    /** An endpoint; {@code secret} is the HMAC key the receiver verifies signatures with. */
    public record Endpoint(String name, String url, String secret) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final FieldCipher cipher;

    WebhookEndpoints(JdbcClient jdbc, FieldCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** Registers or re-points an endpoint with a fresh secret. */
    public Endpoint register(TenantId tenant, String name, String url) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + HexFormat.of().formatHex(key);
        jdbc.sql("""
                INSERT INTO webhook_endpoints (tenant_id, name, url, secret) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET url = excluded.url, secret = excluded.secret""")
                .params(tenant.value(), name, url, cipher.seal(tenant, secret)).update();
        return new Endpoint(name, url, secret);
    }

    public Optional<Endpoint> find(TenantId tenant, String name) {
        return jdbc.sql("SELECT name, url, secret FROM webhook_endpoints WHERE tenant_id = ? AND name = ?")
                .params(tenant.value(), name)
                .query((rs, row) -> new Endpoint(rs.getString(1), rs.getString(2), cipher.open(tenant, rs.getBytes(3))))
                .optional();
    }

    /** Names and URLs only. */
    public List<Endpoint> all(TenantId tenant) {
        return jdbc.sql("SELECT name, url FROM webhook_endpoints WHERE tenant_id = ? ORDER BY name").param(tenant.value())
                .query((rs, row) -> new Endpoint(rs.getString(1), rs.getString(2), "")).list();
    }
}
