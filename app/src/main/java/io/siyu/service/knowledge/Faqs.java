package io.siyu.service.knowledge;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** FAQ rows in PostgreSQL (the index is rebuilt from here), plus the unanswered questions. */
@Repository
class Faqs {

    record Faq(long id, String question, String answer, List<String> alternates, long hits) {}

    private final JdbcClient jdbc;

    Faqs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long create(TenantId tenant, String question, String answer, List<String> alternates, Instant now) {
        return jdbc.sql("INSERT INTO service_faqs (tenant_id, question, answer, alternates, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                .params(tenant.value(), question, answer, alternates.toArray(String[]::new), Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
    }

    void update(TenantId tenant, long id, String question, String answer, List<String> alternates, Instant now) {
        int n = jdbc.sql("UPDATE service_faqs SET question = ?, answer = ?, alternates = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")
                .params(question, answer, alternates.toArray(String[]::new), Timestamp.from(now), tenant.value(), id).update();
        if (n == 0) {
            throw new NotFound("FAQ 不存在 / no FAQ " + id);
        }
    }

    void delete(TenantId tenant, long id) {
        if (jdbc.sql("DELETE FROM service_faqs WHERE tenant_id = ? AND id = ?").params(tenant.value(), id).update() == 0) {
            throw new NotFound("FAQ 不存在 / no FAQ " + id);
        }
    }

    Faq require(TenantId tenant, long id) {
        return jdbc.sql("SELECT * FROM service_faqs WHERE tenant_id = ? AND id = ?").params(tenant.value(), id)
                .query((rs, n) -> faq(rs)).optional().orElseThrow(() -> new NotFound("FAQ 不存在 / no FAQ " + id));
    }

    List<Faq> all(TenantId tenant) {
        return jdbc.sql("SELECT * FROM service_faqs WHERE tenant_id = ? ORDER BY id").param(tenant.value()).query((rs, n) -> faq(rs)).list();
    }

    void hit(long id) {
        jdbc.sql("UPDATE service_faqs SET hits = hits + 1 WHERE id = ?").param(id).update();
    }

    List<String> unanswered(TenantId tenant, int limit) {
        return jdbc.sql("SELECT text FROM service_unanswered WHERE tenant_id = ? ORDER BY id DESC LIMIT ?")
                .params(tenant.value(), limit).query(String.class).list();
    }

    private static Faq faq(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Faq(rs.getLong("id"), rs.getString("question"), rs.getString("answer"),
                List.of((String[]) rs.getArray("alternates").getArray()), rs.getLong("hits"));
    }
}
