package io.siyu.privacy;

import io.siyu.platform.TenantId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The people erased on request; kept in memory too, since every profile read asks. A plain
 * component, not a {@code @Repository}: the exception-translation proxy that would bring wrapped
 * {@link #isErased} in an interceptor chain on every read (JdbcClient already throws Spring's
 * {@code DataAccessException}s).
 */
@Component
class Erasures {

    private final JdbcClient jdbc;
    private final Set<String> erased = ConcurrentHashMap.newKeySet();

    Erasures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        jdbc.sql("SELECT tenant_id, person_id FROM erasures").query((rs, row) -> erased.add(rs.getInt(1) + "|" + rs.getString(2))).list();
    }

    boolean isErased(TenantId tenant, String personId) {
        return !erased.isEmpty() && erased.contains(tenant.value() + "|" + personId);
    }

    void record(TenantId tenant, String personId, String by, int shreddedKeys) {
        jdbc.sql("INSERT INTO erasures (tenant_id, person_id, erased_by, shredded_keys) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(tenant.value(), personId, by, shreddedKeys).update();
        erased.add(tenant.value() + "|" + personId);
    }
}
