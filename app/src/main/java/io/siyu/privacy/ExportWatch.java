package io.siyu.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.platform.Caller;
import io.siyu.platform.Forbidden;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Watches bulk exports of personal data. An export that would take a caller past
 * {@code siyu.privacy.export.max-rows-per-hour} rows in the last hour, or that happens in the
 * unusual hours (00:00–06:00 China Standard Time by default), is refused: the caller is frozen (no
 * management call passes until an administrator releases it), an {@code export.anomaly} entry is
 * audited and the {@code siyu.privacy.export.anomalies} counter, which alert rules watch, goes up.
 * The installation administrator is never frozen: it is who releases.
 */
@Component
class ExportWatch {

    private static final Logger log = LoggerFactory.getLogger(ExportWatch.class);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final long HOUR_MS = 3_600_000L;

    /** A frozen caller as listed. */
    record Frozen(TenantId tenant, String caller, Instant frozenAt, String reason) {}

    private record Export(long at, int rows) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final Counter anomalies;
    private volatile int maxRowsPerHour;
    private volatile int quietFrom;
    private volatile int quietUntil;
    private final Map<String, Deque<Export>> recent = new ConcurrentHashMap<>();
    private final Map<String, String> frozen = new ConcurrentHashMap<>();

    ExportWatch(JdbcClient jdbc, Clock clock, AuditLog audit, MeterRegistry meters,
            @Value("${siyu.privacy.export.max-rows-per-hour:50000}") int maxRowsPerHour,
            @Value("${siyu.privacy.export.quiet-from-hour:0}") int quietFrom,
            @Value("${siyu.privacy.export.quiet-until-hour:6}") int quietUntil) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
        this.anomalies = Counter.builder("siyu.privacy.export.anomalies")
                .description("bulk exports refused as anomalous (volume or hour); each froze its caller").register(meters);
        this.maxRowsPerHour = maxRowsPerHour;
        this.quietFrom = quietFrom;
        this.quietUntil = quietUntil;
        jdbc.sql("SELECT tenant_id, caller, reason FROM frozen_callers")
                .query((rs, row) -> frozen.put(key(new TenantId(rs.getInt(1)), rs.getString(2)), rs.getString(3))).list();
    }

    /**
     * Changes the thresholds at run time.
     *
     * @param quietFrom first unusual hour, China time
     * @param quietUntil first usual hour after them (equal to {@code quietFrom}: none)
     */
    void thresholds(int maxRowsPerHour, int quietFrom, int quietUntil) {
        this.maxRowsPerHour = maxRowsPerHour;
        this.quietFrom = quietFrom;
        this.quietUntil = quietUntil;
    }

    int maxRowsPerHour() {
        return maxRowsPerHour;
    }

    /** @throws Forbidden when the caller is frozen */
    void requireNotFrozen(TenantId tenant, String caller) {
        String reason = frozen.get(key(tenant, caller));
        if (reason != null) {
            throw new Forbidden("账号已冻结，请联系管理员解冻 / this account is frozen until an administrator releases it: " + reason);
        }
    }

    /**
     * Admits an export of {@code rows} rows, or freezes the caller.
     *
     * @throws Forbidden when the export is anomalous (the caller is frozen from now on)
     */
    void admit(TenantId tenant, Caller caller, String what, int rows) {
        if (caller.isAdmin()) {
            return;
        }
        String name = caller.actor();
        long now = clock.millis();
        Deque<Export> exports = recent.computeIfAbsent(key(tenant, name), k -> new ArrayDeque<>());
        String reason = null;
        synchronized (exports) {
            while (!exports.isEmpty() && exports.peekFirst().at() < now - HOUR_MS) {
                exports.pollFirst();
            }
            long lastHour = exports.stream().mapToLong(Export::rows).sum() + rows;
            int hour = Instant.ofEpochMilli(now).atZone(CHINA).getHour();
            if (lastHour > maxRowsPerHour) {
                reason = "export volume " + lastHour + " rows in an hour exceeds " + maxRowsPerHour;
            } else if (hour >= quietFrom && hour < quietUntil) {
                reason = "export at an unusual hour (" + hour + ":00 China time)";
            } else {
                exports.addLast(new Export(now, rows));
            }
        }
        if (reason != null) {
            freeze(tenant, name, reason + " (" + what + ")");
            throw new Forbidden("导出异常，账号已冻结 / anomalous export: " + reason + "; the account is frozen until an administrator releases it");
        }
    }

    void freeze(TenantId tenant, String caller, String reason) {
        jdbc.sql("INSERT INTO frozen_callers (tenant_id, caller, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(tenant.value(), caller, reason).update();
        frozen.put(key(tenant, caller), reason);
        anomalies.increment();
        audit.recordAndWait(tenant, "siyu", "export.anomaly", caller, reason);
        log.warn("Froze {} of {}: {}", caller, tenant, reason);
    }

    void release(TenantId tenant, String caller, Caller by) {
        int n = jdbc.sql("DELETE FROM frozen_callers WHERE tenant_id = ? AND caller = ?").params(tenant.value(), caller).update();
        if (n == 0) {
            throw new NotFound(caller + " is not frozen");
        }
        frozen.remove(key(tenant, caller));
        recent.remove(key(tenant, caller));
        audit.recordAndWait(tenant, by.actor(), "account.released", caller, "");
    }

    List<Frozen> frozen(TenantId tenant) {
        return jdbc.sql("SELECT tenant_id, caller, frozen_at, reason FROM frozen_callers WHERE tenant_id = ? ORDER BY frozen_at")
                .param(tenant.value())
                .query((rs, row) -> new Frozen(new TenantId(rs.getInt(1)), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4)))
                .list();
    }

    private static String key(TenantId tenant, String caller) {
        return tenant.value() + "|" + caller;
    }
}
