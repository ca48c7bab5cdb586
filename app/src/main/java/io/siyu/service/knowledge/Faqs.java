package io.siyu.service.knowledge;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * FAQ rows in PostgreSQL (the index is rebuilt from here), plus the unanswered questions. Hits are
 * counted in memory and added to the rows every {@code siyu.service.faq-hit-flush} (and at
 * shutdown): an UPDATE per answer would put a database round trip, and a row lock held until the
 * conversation's transaction ends, on every bot reply that a popular FAQ answers. Reads add the
 * hits not yet written, so the count is exact while the process lives; a crash loses at most one
 * interval of hits.
 */
@Repository
class Faqs implements DisposableBean {

    record Faq(long id, String question, String answer, List<String> alternates, long hits) {}

    private static final Logger log = LoggerFactory.getLogger(Faqs.class);

    private final JdbcClient jdbc;
    private final Map<Long, LongAdder> unwrittenHits = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("siyu-faq-hits").factory());

    Faqs(JdbcClient jdbc, @Value("${siyu.service.faq-hit-flush:10s}") java.time.Duration every) {
        this.jdbc = jdbc;
        flusher.scheduleWithFixedDelay(this::flushSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
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
        unwrittenHits.computeIfAbsent(id, k -> new LongAdder()).increment();
    }

    /** Adds the counted hits to the rows. */
    void flushHits() {
        for (Map.Entry<Long, LongAdder> e : unwrittenHits.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                try {
                    jdbc.sql("UPDATE service_faqs SET hits = hits + ? WHERE id = ?").params(n, e.getKey()).update();
                } catch (RuntimeException ex) {
                    e.getValue().add(n); // written next time
                    throw ex;
                }
            }
        }
    }

    private void flushSafely() {
        try {
            flushHits();
        } catch (RuntimeException e) {
            log.warn("Writing FAQ hit counts failed; they are kept for the next flush", e);
        }
    }

    @Override
    public void destroy() {
        flusher.shutdownNow();
        flushSafely();
    }

    List<String> unanswered(TenantId tenant, int limit) {
        return jdbc.sql("SELECT text FROM service_unanswered WHERE tenant_id = ? ORDER BY id DESC LIMIT ?")
                .params(tenant.value(), limit).query(String.class).list();
    }

    private Faq faq(java.sql.ResultSet rs) throws java.sql.SQLException {
        long id = rs.getLong("id");
        LongAdder unwritten = unwrittenHits.get(id);
        return new Faq(id, rs.getString("question"), rs.getString("answer"),
                List.of((String[]) rs.getArray("alternates").getArray()), rs.getLong("hits") + (unwritten == null ? 0 : unwritten.sum()));
    }
}
