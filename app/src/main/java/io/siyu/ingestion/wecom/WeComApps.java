package io.siyu.ingestion.wecom;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tenants' WeCom apps. Token and EncodingAESKey are sealed with the tenant's key, since whoever
 * reads them can forge callbacks; only this class sees them in clear.
 */
@Repository
class WeComApps {

    /** An app as stored, with its tenant and when it was last set. */
    record Registration(TenantId tenant, WeComApp app, Instant updatedAt) {}

    private static final String COLUMNS = "a.tenant_id, a.corp_id, a.token, a.encoding_aes_key, a.agent_id, a.updated_at";

    private final JdbcClient jdbc;
    private final FieldCipher cipher;
    private final Clock clock;

    WeComApps(JdbcClient jdbc, FieldCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Sets the tenant's app, replacing the one before. */
    Registration save(TenantId tenant, WeComApp app) {
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO wecom_apps (tenant_id, corp_id, token, encoding_aes_key, agent_id, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET corp_id = excluded.corp_id, token = excluded.token,
                    encoding_aes_key = excluded.encoding_aes_key, agent_id = excluded.agent_id,
                    updated_at = excluded.updated_at""")
                .params(tenant.value(), app.corpId(), seal(tenant, app.token()), seal(tenant, app.encodingAesKey()),
                        app.agentId(), Timestamp.from(now))
                .update();
        return new Registration(tenant, app, now);
    }

    Optional<Registration> find(TenantId tenant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM wecom_apps a WHERE a.tenant_id = ?").param(tenant.value())
                .query(this::map).optional();
    }

    /** The app behind a callback URL, which names its tenant by slug. */
    Optional<Registration> findBySlug(String slug) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM wecom_apps a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = ?")
                .param(slug).query(this::map).optional();
    }

    private Registration map(ResultSet rs, int row) throws SQLException {
        TenantId tenant = new TenantId(rs.getInt("tenant_id"));
        WeComApp app = new WeComApp(rs.getString("corp_id"), open(tenant, rs.getString("token")),
                open(tenant, rs.getString("encoding_aes_key")), rs.getString("agent_id"));
        return new Registration(tenant, app, rs.getTimestamp("updated_at").toInstant());
    }

    private String seal(TenantId tenant, String secret) {
        return Base64.getEncoder().encodeToString(cipher.seal(tenant, secret));
    }

    private String open(TenantId tenant, String sealed) {
        return cipher.open(tenant, Base64.getDecoder().decode(sealed));
    }
}
