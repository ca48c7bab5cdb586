package io.siyu.channel;

import io.siyu.platform.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Message templates in PostgreSQL, with a read-through cache: a broadcast renders the same template
 * a million times and must not ask the database each time.
 */
@Repository
class MessageTemplates {

    private record Key(int tenant, String name) {}

    private final JdbcClient jdbc;
    private final ConcurrentHashMap<Key, MessageTemplate> cache = new ConcurrentHashMap<>();

    MessageTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void save(TenantId tenant, MessageTemplate template) {
        jdbc.sql("""
                INSERT INTO message_templates (tenant_id, name, channel, subject, body, marketing) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, name) DO UPDATE SET channel = excluded.channel, subject = excluded.subject,
                    body = excluded.body, marketing = excluded.marketing, updated_at = now()""")
                .params(tenant.value(), template.name(), template.channel(), template.subject(), template.body(),
                        template.marketing())
                .update();
        cache.remove(new Key(tenant.value(), template.name()));
    }

    Optional<MessageTemplate> find(TenantId tenant, String name) {
        Key key = new Key(tenant.value(), name);
        MessageTemplate cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<MessageTemplate> found = jdbc.sql(
                        "SELECT name, channel, subject, body, marketing FROM message_templates WHERE tenant_id = ? AND name = ?")
                .params(key.tenant(), key.name())
                .query((rs, row) -> new MessageTemplate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)))
                .optional();
        found.ifPresent(t -> cache.put(key, t)); // only hits: unknown names must not grow the cache
        return found;
    }

    List<MessageTemplate> all(TenantId tenant) {
        return jdbc.sql("SELECT name, channel, subject, body, marketing FROM message_templates WHERE tenant_id = ? ORDER BY name")
                .param(tenant.value())
                .query((rs, row) -> new MessageTemplate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5)))
                .list();
    }
}
