package io.siyu.compliance;

import io.siyu.action.ContentGate.Finding;
import io.siyu.action.ContentGate.Result;
import io.siyu.action.ContentGate.Verdict;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The human review queue: copy whose verdict is {@code review}, and user-generated content, wait
 * here for an operator to approve or reject them. A decision on copy sticks to that exact text
 * (by SHA-256), so a template sent to many people is reviewed once.
 */
@Repository
class ReviewQueue {

    enum Status { PENDING, APPROVED, REJECTED }

    enum Source {
        /** Checked through the check API. */
        CHECK,
        /** Checked by the content gate before a send. */
        GATE,
        /** User-generated content submitted for screening. */
        UGC;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Item(long id, String source, @Nullable String reference, String text, Verdict verdict, List<Finding> findings,
            Status status, Instant createdAt, @Nullable Instant decidedAt, @Nullable String decidedBy,
            @Nullable String note) {}

    private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ReviewQueue(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The decision taken on this exact copy, if any (pending included). */
    Optional<Item> copy(TenantId tenant, String text) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND text_hash = ? AND source <> 'ugc'")
                .params(tenant.value(), sha256(text)).query(this::item).optional();
    }

    /** Queues copy for review once per distinct text; answers the item, new or existing. */
    Item queueCopy(TenantId tenant, Source source, String text, Result result) {
        jdbc.sql("""
                INSERT INTO compliance_reviews (tenant_id, source, text, text_hash, verdict, findings, status)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, 'PENDING')
                ON CONFLICT (tenant_id, text_hash) WHERE source <> 'ugc' DO NOTHING""")
                .params(tenant.value(), source.key(), text, sha256(text), result.verdict().name(),
                        json.writeValueAsString(result.findings()))
                .update();
        return copy(tenant, text).orElseThrow();
    }

    /** Stores one submission of user-generated content with the status its verdict implies. */
    Item submit(TenantId tenant, @Nullable String reference, String text, Result result) {
        Status status = switch (result.verdict()) {
            case PASS -> Status.APPROVED;
            case REVIEW -> Status.PENDING;
            case BLOCK -> Status.REJECTED;
        };
        long id = jdbc.sql("""
                INSERT INTO compliance_reviews (tenant_id, source, reference, text, text_hash, verdict, findings, status,
                    decided_at, decided_by)
                VALUES (?, 'ugc', ?, ?, ?, ?, ?::jsonb, ?, CASE WHEN ? THEN NULL ELSE now() END, CASE WHEN ? THEN NULL ELSE 'lexicon' END)
                RETURNING id""")
                .params(tenant.value(), reference, text, sha256(text), result.verdict().name(),
                        json.writeValueAsString(result.findings()), status.name(), status == Status.PENDING,
                        status == Status.PENDING)
                .query(Long.class).single();
        return find(tenant, id);
    }

    Item find(TenantId tenant, long id) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND id = ?").params(tenant.value(), id).query(this::item).optional()
                .orElseThrow(() -> new NotFound("review " + id + " does not exist"));
    }

    /** Items with {@code status} after id {@code after}, oldest first. */
    List<Item> list(TenantId tenant, Status status, int limit, long after) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND status = ? AND id > ? ORDER BY id LIMIT ?")
                .params(tenant.value(), status.name(), after, limit).query(this::item).list();
    }

    /**
     * Records a human decision on a pending item.
     *
     * @throws NotFound when there is no such item
     * @throws InvalidInput (rule {@code pending}) when it was already decided
     */
    Item decide(TenantId tenant, long id, Status decision, String by, @Nullable String note) {
        int updated = jdbc.sql("""
                UPDATE compliance_reviews SET status = ?, decided_at = now(), decided_by = ?, note = ?
                WHERE tenant_id = ? AND id = ? AND status = 'PENDING'""")
                .params(decision.name(), by, note, tenant.value(), id).update();
        Item item = find(tenant, id);
        if (updated == 0) {
            throw new InvalidInput("status", "pending", "review " + id + " was already decided: " + item.status());
        }
        return item;
    }

    private static final String SELECT = """
            SELECT id, source, reference, text, verdict, findings, status, created_at, decided_at, decided_by, note
            FROM compliance_reviews""";

    private Item item(ResultSet rs, int row) throws SQLException {
        return new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Verdict.valueOf(rs.getString(5)),
                json.readValue(rs.getString(6), FINDINGS), Status.valueOf(rs.getString(7)), rs.getTimestamp(8).toInstant(),
                instant(rs.getTimestamp(9)), rs.getString(10), rs.getString(11));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
