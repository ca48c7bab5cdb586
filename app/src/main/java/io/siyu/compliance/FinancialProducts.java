package io.siyu.compliance;

import io.siyu.platform.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Risk ratings of a tenant's financial products, kept in PostgreSQL. */
@Repository
class FinancialProducts {

    record Product(String id, RiskLevel riskLevel, @Nullable String name) {}

    private final JdbcClient jdbc;

    FinancialProducts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true when the product is new */
    boolean save(TenantId tenant, Product product) {
        return jdbc.sql("""
                INSERT INTO compliance_products (tenant_id, product_id, risk_level, name) VALUES (?, ?, ?, ?)
                ON CONFLICT (tenant_id, product_id) DO UPDATE SET risk_level = excluded.risk_level, name = excluded.name,
                    updated_at = now()
                RETURNING (xmax = 0)""")
                .params(tenant.value(), product.id(), product.riskLevel().rank(), product.name())
                .query(Boolean.class).single();
    }

    boolean delete(TenantId tenant, String id) {
        return jdbc.sql("DELETE FROM compliance_products WHERE tenant_id = ? AND product_id = ?").params(tenant.value(), id)
                .update() > 0;
    }

    Optional<RiskLevel> rating(TenantId tenant, String id) {
        return jdbc.sql("SELECT risk_level FROM compliance_products WHERE tenant_id = ? AND product_id = ?")
                .params(tenant.value(), id).query(Integer.class).optional().map(rank -> RiskLevel.values()[rank - 1]);
    }

    /** The ratings of those of {@code ids} that are rated; unrated ids are not financial products. */
    Map<String, RiskLevel> ratings(TenantId tenant, List<String> ids) {
        Map<String, RiskLevel> ratings = new HashMap<>();
        if (ids.isEmpty()) {
            return ratings;
        }
        jdbc.sql("SELECT product_id, risk_level FROM compliance_products WHERE tenant_id = ? AND product_id = ANY (?)")
                .params(tenant.value(), ids.toArray(String[]::new))
                .query((rs, row) -> ratings.put(rs.getString(1), RiskLevel.values()[rs.getInt(2) - 1])).list();
        return ratings;
    }

    Optional<Product> find(TenantId tenant, String id) {
        return jdbc.sql("SELECT product_id, risk_level, name FROM compliance_products WHERE tenant_id = ? AND product_id = ?")
                .params(tenant.value(), id)
                .query((rs, row) -> new Product(rs.getString(1), RiskLevel.values()[rs.getInt(2) - 1], rs.getString(3)))
                .optional();
    }

    List<Product> all(TenantId tenant, int limit, String after) {
        return jdbc.sql("""
                SELECT product_id, risk_level, name FROM compliance_products
                WHERE tenant_id = ? AND product_id > ? ORDER BY product_id LIMIT ?""")
                .params(tenant.value(), after, limit)
                .query((rs, row) -> new Product(rs.getString(1), RiskLevel.values()[rs.getInt(2) - 1], rs.getString(3)))
                .list();
    }
}
