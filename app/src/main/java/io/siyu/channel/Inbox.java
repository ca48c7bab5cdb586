package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The in-app inbox: messages per person, newest first, with their read state. */
@Repository
public class Inbox {

    /** One inbox message. */
    public record Item(long id, String messageId, @Nullable String title, String body, Instant createdAt,
            @Nullable Instant readAt) {}

    private final JdbcClient jdbc;

    Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the message id is already in the inbox (a retried send) */
    boolean put(TenantId tenant, PersonId person, String messageId, @Nullable String title, String body, Instant at) {
        return jdbc.sql("""
                INSERT INTO inbox_messages (tenant_id, person_id, message_id, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, message_id) DO NOTHING""")
                .params(tenant.value(), person.value(), messageId, title, body, Timestamp.from(at)).update() > 0;
    }

    /** A page of a person's messages with ids below {@code before}, newest first. */
    public List<Item> list(TenantId tenant, PersonId person, boolean unreadOnly, long before, int limit) {
        return jdbc.sql("""
                SELECT id, message_id, title, body, created_at, read_at FROM inbox_messages
                WHERE tenant_id = ? AND person_id = ? AND id < ? AND (NOT ? OR read_at IS NULL)
                ORDER BY id DESC LIMIT ?""")
                .params(tenant.value(), person.value(), before, unreadOnly, limit).query(Inbox::item).list();
    }

    public int unread(TenantId tenant, PersonId person) {
        return jdbc.sql("SELECT count(*) FROM inbox_messages WHERE tenant_id = ? AND person_id = ? AND read_at IS NULL")
                .params(tenant.value(), person.value()).query(Integer.class).single();
    }

    /** What marking a message read found. */
    public enum Read { FIRST_READ, ALREADY_READ, NOT_FOUND }

    /** Marks one message read; the first read is what counts as the message being opened. */
    public Read markRead(TenantId tenant, PersonId person, long id, Instant at) {
        int changed = jdbc.sql("UPDATE inbox_messages SET read_at = ? WHERE tenant_id = ? AND person_id = ? AND id = ? AND read_at IS NULL")
                .params(Timestamp.from(at), tenant.value(), person.value(), id).update();
        if (changed > 0) {
            return Read.FIRST_READ;
        }
        return jdbc.sql("SELECT count(*) FROM inbox_messages WHERE tenant_id = ? AND person_id = ? AND id = ?")
                .params(tenant.value(), person.value(), id).query(Integer.class).single() > 0 ? Read.ALREADY_READ : Read.NOT_FOUND;
    }

    public Optional<Item> find(TenantId tenant, PersonId person, long id) {
        return jdbc.sql("""
                SELECT id, message_id, title, body, created_at, read_at FROM inbox_messages
                WHERE tenant_id = ? AND person_id = ? AND id = ?""")
                .params(tenant.value(), person.value(), id).query(Inbox::item).optional();
    }

    public int markAllRead(TenantId tenant, PersonId person, Instant at) {
        return jdbc.sql("UPDATE inbox_messages SET read_at = ? WHERE tenant_id = ? AND person_id = ? AND read_at IS NULL")
                .params(Timestamp.from(at), tenant.value(), person.value()).update();
    }

    private static Item item(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp read = rs.getTimestamp(6);
        return new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                read == null ? null : read.toInstant());
    }
}
