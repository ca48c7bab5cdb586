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

    /**
     * One statement for the whole batch: inserts the keys whose subjects have none and reads back
     * those that do. A subject whose key another transaction is inserting at the same moment is
     * not visible to the statement's snapshot; it falls back to {@link #putIfAbsent}.
     */
    @Override
    public List<Wrapped> putAllIfAbsent(TenantId tenant, List<Wrapped> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String[] subjects = new String[keys.size()];
        Integer[] versions = new Integer[keys.size()];
        String[] wrapped = new String[keys.size()];
        java.util.Map<String, Wrapped> bySubject = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Wrapped key = keys.get(i);
            subjects[i] = key.subject();
            versions[i] = key.kekVersion();
            wrapped[i] = java.util.HexFormat.of().formatHex(key.wrapped());
            bySubject.put(key.subject(), key);
        }
        List<Wrapped> found = jdbc.sql("""
                WITH input AS (SELECT * FROM unnest(?::text[], ?::int[], ?::text[]) AS t(subject, kek_version, wrapped)),
                inserted AS (
                    INSERT INTO data_keys (tenant_id, subject, kek_version, wrapped)
                    SELECT ?, subject, kek_version, decode(wrapped, 'hex') FROM input
                    ON CONFLICT DO NOTHING RETURNING subject, kek_version, wrapped)
                SELECT subject, kek_version, wrapped FROM inserted
                UNION ALL
                SELECT d.subject, d.kek_version, d.wrapped FROM data_keys d
                WHERE d.tenant_id = ? AND d.subject IN (SELECT subject FROM input)
                """).params(subjects, versions, wrapped, tenant.value(), tenant.value()).query(JdbcDataKeys::map).list();
        List<Wrapped> kept = new java.util.ArrayList<>(bySubject.size());
        for (Wrapped key : found) {
            if (bySubject.remove(key.subject()) != null) {
                kept.add(key);
            }
        }
        for (Wrapped racing : bySubject.values()) {
            kept.add(putIfAbsent(tenant, racing));
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
