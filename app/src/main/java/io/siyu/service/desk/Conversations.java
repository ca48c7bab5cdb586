package io.siyu.service.desk;

import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Conversations and their messages in PostgreSQL, always scoped by tenant. */
@Repository
public class Conversations {

    public record Conversation(UUID id, int tenant, String channel, String person, String owner, Map<String, Object> dialogue,
            boolean handedOff, Instant createdAt) {

        public boolean ownedByHuman() {
            return "human".equals(owner);
        }
    }

    public record Message(int seq, String sender, @Nullable String agent, String text, @Nullable String intent,
            @Nullable Double confidence, @Nullable String sentiment, @Nullable Double sentimentScore, Instant at) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Conversations(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Conversation open(TenantId tenant, String channel, String person, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO service_conversations (id, tenant_id, channel, person, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(id, tenant.value(), channel, person, Timestamp.from(now), Timestamp.from(now)).update();
        return new Conversation(id, tenant.value(), channel, person, "bot", Map.of(), false, now);
    }

    public Conversation require(TenantId tenant, UUID id) {
        return find(tenant, id).orElseThrow(() -> new NotFound("会话不存在 / no conversation " + id));
    }

    Optional<Conversation> find(TenantId tenant, UUID id) {
        return jdbc.sql("SELECT * FROM service_conversations WHERE tenant_id = ? AND id = ?").params(tenant.value(), id)
                .query(this::conversation).optional();
    }

    /** Takes a row lock so two messages of one conversation are handled one after the other. */
    Conversation lock(TenantId tenant, UUID id) {
        return jdbc.sql("SELECT * FROM service_conversations WHERE tenant_id = ? AND id = ? FOR UPDATE").params(tenant.value(), id)
                .query(this::conversation).optional().orElseThrow(() -> new NotFound("会话不存在 / no conversation " + id));
    }

    void save(UUID id, String owner, Map<String, Object> dialogue, boolean handedOff, Instant now) {
        jdbc.sql("UPDATE service_conversations SET owner = ?, dialogue = ?::jsonb, handed_off = handed_off OR ?, updated_at = ? WHERE id = ?")
                .params(owner, json.writeValueAsString(dialogue), handedOff, Timestamp.from(now), id).update();
    }

    void setOwner(UUID id, String owner, Instant now) {
        jdbc.sql("UPDATE service_conversations SET owner = ?, updated_at = ? WHERE id = ?").params(owner, Timestamp.from(now), id).update();
    }

    int append(UUID conversation, String sender, @Nullable String agent, String text, @Nullable String clientMessageId,
            @Nullable String intent, @Nullable Double confidence, @Nullable String sentiment, @Nullable Double sentimentScore, Instant now) {
        Integer seq = jdbc.sql("""
                INSERT INTO service_messages (conversation_id, seq, sender, agent, text, client_message_id, intent, confidence,
                    sentiment, sentiment_score, created_at)
                SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM service_messages WHERE conversation_id = ?
                RETURNING seq""")
                .params(conversation, sender, agent, text, clientMessageId, intent, confidence, sentiment, sentimentScore,
                        Timestamp.from(now), conversation)
                .query(Integer.class).single();
        return seq;
    }

    /** The seq of the person message sent earlier with this client message id, if any. */
    Optional<Integer> seqOfClientMessage(UUID conversation, String clientMessageId) {
        return jdbc.sql("SELECT seq FROM service_messages WHERE conversation_id = ? AND client_message_id = ?")
                .params(conversation, clientMessageId).query(Integer.class).optional();
    }

    void unanswered(TenantId tenant, String text, Instant now) {
        jdbc.sql("INSERT INTO service_unanswered (tenant_id, text, created_at) VALUES (?, ?, ?)")
                .params(tenant.value(), text, Timestamp.from(now)).update();
    }

    public List<Message> transcript(UUID conversation) {
        return jdbc.sql("SELECT * FROM service_messages WHERE conversation_id = ? ORDER BY seq").params(conversation)
                .query((rs, n) -> message(rs)).list();
    }

    List<Message> after(UUID conversation, int seq) {
        return jdbc.sql("SELECT * FROM service_messages WHERE conversation_id = ? AND seq > ? ORDER BY seq").params(conversation, seq)
                .query((rs, n) -> message(rs)).list();
    }

    private static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getInt("seq"), rs.getString("sender"), rs.getString("agent"), rs.getString("text"), rs.getString("intent"),
                (Double) nullable(rs, "confidence"), rs.getString("sentiment"), (Double) nullable(rs, "sentiment_score"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static @Nullable Object nullable(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private Conversation conversation(ResultSet rs, int row) throws SQLException {
        Map<String, Object> dialogue = json.readValue(rs.getString("dialogue"), new TypeReference<Map<String, Object>>() {});
        return new Conversation(rs.getObject("id", UUID.class), rs.getInt("tenant_id"), rs.getString("channel"), rs.getString("person"),
                rs.getString("owner"), dialogue, rs.getBoolean("handed_off"), rs.getTimestamp("created_at").toInstant());
    }
}
