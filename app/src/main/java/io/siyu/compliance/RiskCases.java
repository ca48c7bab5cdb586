package io.siyu.compliance;

import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Cases raised by risk detectors, and the operators' decisions on them. */
@Repository
class RiskCases {

    enum Status { FLAGGED, PENDING, CLEARED, CONFIRMED }

    record Case(long id, String detector, Detector.Action action, String person, long seq, Instant occurredAt,
            String evidence, Status status, boolean frozen, @Nullable Instant decidedAt, @Nullable String decidedBy,
            @Nullable String note) {}

    private final JdbcClient jdbc;

    RiskCases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores detections; one already stored (found again by a replay) is skipped. */
    @Transactional
    void store(int tenant, List<Detection> detections) {
        for (Detection d : detections) {
            Status status = d.action() == Detector.Action.FLAG ? Status.FLAGGED : Status.PENDING;
            jdbc.sql("""
                    INSERT INTO risk_cases (tenant_id, detector, action, person, seq, occurred_at, evidence, status, frozen)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, detector, seq) DO NOTHING""")
                    .params(tenant, d.detector(), d.action().name(), PersonId.of(tenant, d.person()).value(), d.seq(),
                            Timestamp.from(Instant.ofEpochMilli(d.at())), d.evidence(), status.name(),
                            d.action() == Detector.Action.FREEZE)
                    .update();
        }
    }

    List<Case> list(TenantId tenant, @Nullable Status status, int limit, long after) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND (?::text IS NULL OR status = ?) AND id > ? ORDER BY id LIMIT ?")
                .params(tenant.value(), status == null ? null : status.name(), status == null ? null : status.name(), after,
                        limit)
                .query(RiskCases::row).list();
    }

    Case find(TenantId tenant, long id) {
        return jdbc.sql(SELECT + " WHERE tenant_id = ? AND id = ?").params(tenant.value(), id).query(RiskCases::row)
                .optional().orElseThrow(() -> new NotFound("risk case " + id + " does not exist"));
    }

    boolean frozen(TenantId tenant, PersonId person) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM risk_cases WHERE tenant_id = ? AND person = ? AND frozen)")
                .params(tenant.value(), person.value()).query(Boolean.class).single();
    }

    /**
     * Clears (a false alarm: unfreezes) or confirms (keeps any freeze) an open case.
     *
     * @throws InvalidInput (rule {@code open}) when the case was already decided
     */
    Case decide(TenantId tenant, long id, Status decision, String by, @Nullable String note) {
        int updated = jdbc.sql("""
                UPDATE risk_cases SET status = ?, frozen = (frozen AND ? = 'CONFIRMED'), decided_at = now(),
                    decided_by = ?, note = ?
                WHERE tenant_id = ? AND id = ? AND status IN ('FLAGGED', 'PENDING')""")
                .params(decision.name(), decision.name(), by, note, tenant.value(), id).update();
        Case current = find(tenant, id);
        if (updated == 0) {
            throw new InvalidInput("status", "open", "risk case " + id + " was already decided: " + current.status());
        }
        return current;
    }

    private static final String SELECT = """
            SELECT id, detector, action, person, seq, occurred_at, evidence, status, frozen, decided_at, decided_by, note
            FROM risk_cases""";

    private static Case row(ResultSet rs, int row) throws SQLException {
        Timestamp decided = rs.getTimestamp(10);
        return new Case(rs.getLong(1), rs.getString(2), Detector.Action.valueOf(rs.getString(3)),
                rs.getObject(4, UUID.class).toString(), rs.getLong(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                Status.valueOf(rs.getString(8)), rs.getBoolean(9), decided == null ? null : decided.toInstant(),
                rs.getString(11), rs.getString(12));
    }
}
