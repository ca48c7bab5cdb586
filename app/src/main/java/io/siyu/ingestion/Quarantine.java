package io.siyu.ingestion;

import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Events that broke their schema, kept with the reasons so that nothing is silently dropped. */
@Repository
public class Quarantine {

    /** A quarantined message. */
    public record Entry(long id, Instant receivedAt, String source, @Nullable String eventName, @Nullable String messageId,
            List<Violation> reasons, String payload) {}

    /** What to quarantine. */
    public record Item(String source, String eventName, String messageId, List<Violation> reasons, String payload) {}

    private static final int MAX_PAYLOAD = 600_000;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Quarantine(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores items durably and returns their ids, in order. */
    public List<Long> add(TenantId tenant, Instant receivedAt, List<Item> items) {
        List<Long> ids = new ArrayList<>(items.size());
        for (Item item : items) {
            String payload = item.payload().length() > MAX_PAYLOAD ? item.payload().substring(0, MAX_PAYLOAD) : item.payload();
            ids.add(jdbc.sql("""
                    INSERT INTO quarantine (tenant_id, received_at, source, event_name, message_id, reasons, payload)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id""")
                    .params(tenant.value(), Timestamp.from(receivedAt), item.source(), emptyToNull(item.eventName()),
                            emptyToNull(item.messageId()), json.writeValueAsString(item.reasons()), payload.replace("\u0000", ""))
                    .query(Long.class).single());
        }
        return ids;
    }

    /** Entries after {@code afterId}, oldest first. */
    public List<Entry> list(TenantId tenant, long afterId, int limit) {
        return jdbc.sql("""
                SELECT id, received_at, source, event_name, message_id, reasons::text, payload FROM quarantine
                WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?""")
                .params(tenant.value(), afterId, limit)
                .query((rs, row) -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5),
                        json.readValue(rs.getString(6), new TypeReference<List<Violation>>() {}), rs.getString(7)))
                .list();
    }

    public long count(TenantId tenant) {
        return jdbc.sql("SELECT count(*) FROM quarantine WHERE tenant_id = ?").param(tenant.value()).query(Long.class).single();
    }

    private static @Nullable String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
