package io.siyu.privacy;

import io.siyu.platform.DataKeyStore;
import io.siyu.platform.TenantId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The wrapped data keys of personal fields, in PostgreSQL ({@code data_keys}, {@code tenant_keys}). */
@Component
class JdbcDataKeys implements DataKeyStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    JdbcDataKeys(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public @Nullable Wrapped find(TenantId tenant, String subject) {
        return jdbc.sql("SELECT subject, kek_version, wrapped FROM data_keys WHERE tenant_id = ? AND subject = ?")
                .params(tenant.value(), subject).query(JdbcDataKeys::map).optional().orElse(null);
    }

    @Override
    public Wrapped putIfAbsent(TenantId tenant, Wrapped key) {
        Wrapped inserted = jdbc.sql("INSERT INTO data_keys (tenant_id, subject, kek_version, wrapped) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING RETURNING subject, kek_version, wrapped")
                .params(tenant.value(), key.subject(), key.kekVersion(), key.wrapped()).query(JdbcDataKeys::map).optional().orElse(null);
        Wrapped kept = inserted != null ? inserted : find(tenant, key.subject());
        if (kept == null) {
            throw new IllegalStateException("the data key of " + key.subject() + " vanished while it was created");
        }
        return kept;
    }

    @Override
    public boolean delete(TenantId tenant, String subject) {
        return jdbc.sql("DELETE FROM data_keys WHERE tenant_id = ? AND subject = ?").params(tenant.value(), subject).update() > 0;
    }

    @Override
    public int kekVersion(TenantId tenant) {
        return jdbc.sql("SELECT version FROM tenant_keys WHERE tenant_id = ?").param(tenant.value()).query(Integer.class)
                .optional().orElse(1);
    }

    @Override
    public List<Wrapped> all(TenantId tenant) {
        return jdbc.sql("SELECT subject, kek_version, wrapped FROM data_keys WHERE tenant_id = ? ORDER BY subject")
                .param(tenant.value()).query(JdbcDataKeys::map).list();
    }

    @Override
    public void rewrap(TenantId tenant, int version, List<Wrapped> rewrapped) {
        transactions.executeWithoutResult(status -> {
            for (Wrapped key : rewrapped) {
                jdbc.sql("UPDATE data_keys SET kek_version = ?, wrapped = ? WHERE tenant_id = ? AND subject = ?")
                        .params(key.kekVersion(), key.wrapped(), tenant.value(), key.subject()).update();
            }
            jdbc.sql("INSERT INTO tenant_keys (tenant_id, version) VALUES (?, ?) "
                            + "ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version, rotated_at = now()")
                    .params(tenant.value(), version).update();
        });
    }

    private static Wrapped map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Wrapped(rs.getString(1), rs.getInt(2), rs.getBytes(3));
    }
}
