package io.siyu.privacy;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every table outside the event log that holds rows about one person, with what an access request
 * shows of them and what erasure does to them. Each table of {@code db/migration} is either here
 * ({@link #TABLES}) or in {@link #NOT_PERSONAL} with the reason; {@code PersonalRecordsCoverageTest}
 * fails when a migration adds a table that is in neither, so a new per-person table cannot be
 * forgotten by erasure.
 *
 * <p>A person's rows are found by their forms: the person index ({@code int}), the person id
 * ({@code uuid}), or an identifier as text ({@code user_id:u-42}); people merged into them are
 * included. Erasure deletes rows that exist only for the person and scrubs the personal columns of
 * rows that also count for others (a coupon's serial holds the template's stock; an outbox row its
 * idempotency).
 */
@Component
class PersonalRecords {

    /** How a table names the person. */
    enum Key { INDEX, UUID, TEXT }

    /**
     * @param export SELECT of what the person may see, with {@code ?} for tenant and the key array
     * @param erase  statements run in one transaction, each with {@code ?} for tenant and the key array
     */
    record Table(String name, Key key, String export, List<String> erase) {}

    /** Where the person's data lives outside the event log, in the order erasure works through it. */
    static final List<Table> TABLES = List.of(
            new Table("membership_changes", Key.INDEX,
                    "SELECT name, kind, entered, at FROM membership_changes WHERE tenant_id = ? AND person = ANY(?) ORDER BY at",
                    List.of("DELETE FROM membership_changes WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("journey_journal", Key.INDEX,
                    "SELECT journey_id, kind, node, to_timestamp(at / 1000.0) AS at, reason FROM journey_journal"
                            + " WHERE tenant_id = ? AND person = ANY(?) ORDER BY id",
                    List.of("DELETE FROM journey_journal WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("journey_snapshot_rows", Key.INDEX,
                    "SELECT journey_id, CASE kind WHEN 'E' THEN 'IN' ELSE 'LEFT' END AS kind, node, to_timestamp(at / 1000.0) AS at"
                            + " FROM journey_snapshot_rows WHERE tenant_id = ? AND person = ANY(?) ORDER BY journey_id",
                    List.of("DELETE FROM journey_snapshot_rows WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("journey_outbox", Key.INDEX,
                    "SELECT action_id, journey_id, node, type, status, reason, to_timestamp(created_at / 1000.0) AS created_at"
                            + " FROM journey_outbox WHERE tenant_id = ? AND person = ANY(?) ORDER BY seq",
                    // the row stays (its action id keeps a retried step from acting twice); what it knew of the person goes
                    List.of("UPDATE journey_outbox SET context = '{}'::jsonb, output = NULL,"
                            + " status = CASE WHEN status = 'PENDING' THEN 'SUPPRESSED' ELSE status END,"
                            + " reason = CASE WHEN status = 'PENDING' THEN 'subject:erased' ELSE reason END"
                            + " WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("send_log", Key.UUID,
                    "SELECT channel, to_timestamp(at / 1000.0) AS at FROM send_log WHERE tenant_id = ? AND person = ANY(?) ORDER BY at",
                    List.of("DELETE FROM send_log WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("send_decisions", Key.UUID,
                    "SELECT channel, decision, reason, to_timestamp(at / 1000.0) AS at FROM send_decisions"
                            + " WHERE tenant_id = ? AND person = ANY(?) ORDER BY at",
                    List.of("DELETE FROM send_decisions WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("message_outbox", Key.UUID,
                    "SELECT message_id, channel, template, address, subject, body, status, created_at, sent_at FROM message_outbox"
                            + " WHERE tenant_id = ? AND person_id = ANY(?) ORDER BY created_at",
                    List.of("UPDATE message_outbox SET address = '(erased)', subject = NULL, body = '', provider_ref = NULL,"
                            + " status = CASE WHEN status = 'PENDING' THEN 'DEAD' ELSE status END,"
                            + " last_error = CASE WHEN status = 'PENDING' THEN 'subject erased' ELSE last_error END"
                            + " WHERE tenant_id = ? AND person_id = ANY(?)")),
            new Table("inbox_messages", Key.UUID,
                    "SELECT message_id, title, body, created_at, read_at FROM inbox_messages"
                            + " WHERE tenant_id = ? AND person_id = ANY(?) ORDER BY id",
                    List.of("DELETE FROM inbox_messages WHERE tenant_id = ? AND person_id = ANY(?)")),
            new Table("coupon_abuse_flags", Key.UUID,
                    "SELECT f.signal, f.people, f.flagged_at FROM coupon_abuse_flags f WHERE f.tenant_id = ? AND EXISTS ("
                            + "SELECT 1 FROM coupons c WHERE c.tenant_id = f.tenant_id AND c.person_id = ANY(?)"
                            + " AND f.value = CASE f.signal WHEN 'device' THEN c.device WHEN 'phone' THEN c.phone_hash"
                            + " ELSE c.payment_account END)",
                    List.of("DELETE FROM coupon_abuse_flags f WHERE f.tenant_id = ? AND EXISTS ("
                            + "SELECT 1 FROM coupons c WHERE c.tenant_id = f.tenant_id AND c.person_id = ANY(?)"
                            + " AND f.value = CASE f.signal WHEN 'device' THEN c.device WHEN 'phone' THEN c.phone_hash"
                            + " ELSE c.payment_account END)")),
            new Table("coupons", Key.UUID,
                    "SELECT code, template_id, status, issued_at, expires_at, redeemed_at, order_id, discount_fen FROM coupons"
                            + " WHERE tenant_id = ? AND person_id = ANY(?) ORDER BY issued_at",
                    // the serial keeps counting against the template's stock; who it went to does not stay
                    List.of("UPDATE coupons SET identifier = 'erased', order_id = NULL, device = NULL, phone_hash = NULL,"
                            + " payment_account = NULL WHERE tenant_id = ? AND person_id = ANY(?)")),
            new Table("risk_cases", Key.UUID,
                    "SELECT detector, action, status, occurred_at, evidence FROM risk_cases"
                            + " WHERE tenant_id = ? AND person = ANY(?) ORDER BY id",
                    List.of("DELETE FROM risk_cases WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("service_messages", Key.TEXT,
                    "SELECT m.conversation_id, m.seq, m.sender, m.text, m.created_at FROM service_messages m"
                            + " JOIN service_conversations c ON c.id = m.conversation_id"
                            + " WHERE c.tenant_id = ? AND c.person = ANY(?) ORDER BY m.created_at, m.seq",
                    List.of("DELETE FROM service_messages m USING service_conversations c WHERE c.id = m.conversation_id"
                            + " AND c.tenant_id = ? AND c.person = ANY(?)")),
            new Table("service_tickets", Key.TEXT,
                    "SELECT id, kind, queue, status, reason, summary, created_at, closed_at FROM service_tickets"
                            + " WHERE tenant_id = ? AND person = ANY(?) ORDER BY id",
                    List.of("DELETE FROM service_tickets t USING service_conversations c WHERE t.conversation_id = c.id"
                            + " AND c.tenant_id = ? AND c.person = ANY(?)",
                            "DELETE FROM service_tickets WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("service_wecom_kf_outbox", Key.TEXT,
                    "SELECT o.conversation_id, o.seq, o.text, o.status, o.created_at, o.sent_at FROM service_wecom_kf_outbox o"
                            + " JOIN service_conversations c ON c.id = o.conversation_id"
                            + " WHERE c.tenant_id = ? AND c.person = ANY(?) ORDER BY o.id",
                    List.of("DELETE FROM service_wecom_kf_outbox o USING service_conversations c WHERE c.id = o.conversation_id"
                            + " AND c.tenant_id = ? AND c.person = ANY(?)")),
            new Table("service_wecom_kf_threads", Key.TEXT,
                    "SELECT t.open_kfid, t.external_userid, t.created_at FROM service_wecom_kf_threads t"
                            + " JOIN service_conversations c ON c.id = t.conversation_id"
                            + " WHERE c.tenant_id = ? AND c.person = ANY(?)",
                    // before the conversations they point at
                    List.of("DELETE FROM service_wecom_kf_threads t USING service_conversations c WHERE c.id = t.conversation_id"
                            + " AND c.tenant_id = ? AND c.person = ANY(?)")),
            new Table("service_conversations", Key.TEXT,
                    "SELECT id, channel, owner, created_at FROM service_conversations WHERE tenant_id = ? AND person = ANY(?)"
                            + " ORDER BY created_at",
                    List.of("DELETE FROM service_conversations WHERE tenant_id = ? AND person = ANY(?)")),
            new Table("referral_codes", Key.UUID,
                    "SELECT code, campaign_id, created_at FROM referral_codes WHERE tenant_id = ? AND person_id = ANY(?)"
                            + " ORDER BY created_at",
                    List.of("DELETE FROM referral_codes WHERE tenant_id = ? AND person_id = ANY(?)")),
            new Table("referral_attributions", Key.UUID,
                    "SELECT campaign_id, code, via, status, reason, occurred_at FROM referral_attributions WHERE tenant_id = ? AND (friend_person = ANY(?) OR sharer_person = ANY(?))"
                            + " ORDER BY occurred_at",
                    // the row stays (it keeps a friend from being rewarded twice); who they were does not
                    List.of("UPDATE referral_attributions SET friend_identifier = NULL, event_message_id = 'erased'"
                            + " WHERE tenant_id = ? AND friend_person = ANY(?)")),
            new Table("referral_signals", Key.UUID,
                    "SELECT signal, seen_at FROM referral_signals WHERE tenant_id = ? AND person_id = ANY(?) ORDER BY seen_at",
                    List.of("DELETE FROM referral_signals WHERE tenant_id = ? AND person_id = ANY(?)")),
            new Table("help_entries", Key.UUID,
                    "SELECT task_id, counted, reason, helped_at FROM help_entries WHERE tenant_id = ? AND helper_person = ANY(?)"
                            + " ORDER BY helped_at",
                    // the entry keeps counting for the task's owner, another person
                    List.of("UPDATE help_entries SET helper_identifier = 'erased' WHERE tenant_id = ? AND helper_person = ANY(?)")),
            new Table("help_tasks", Key.UUID,
                    "SELECT id, campaign_id, needed, helped, status, started_at, completed_at FROM help_tasks"
                            + " WHERE tenant_id = ? AND owner_person = ANY(?) ORDER BY started_at",
                    // helpers' entries point at the task, so it stays, without who owned it
                    List.of("UPDATE help_tasks SET owner_identifier = 'erased' WHERE tenant_id = ? AND owner_person = ANY(?)")),
            // the notice body is JSON naming the person by id and identifier, each a whole quoted string
            new Table("referral_notices", Key.TEXT,
                    "SELECT message_id, endpoint, status, created_at, sent_at FROM referral_notices WHERE tenant_id = ?"
                            + " AND EXISTS (SELECT 1 FROM unnest(?::text[]) v WHERE strpos(body, '\"' || v || '\"') > 0) ORDER BY created_at",
                    List.of("UPDATE referral_notices SET body = '{}', status = CASE WHEN status = 'PENDING' THEN 'DEAD' ELSE status END,"
                            + " last_error = CASE WHEN status = 'PENDING' THEN 'subject erased' ELSE last_error END"
                            + " WHERE tenant_id = ? AND EXISTS (SELECT 1 FROM unnest(?::text[]) v WHERE strpos(body, '\"' || v || '\"') > 0)")),
            new Table("quarantine", Key.TEXT,
                    "SELECT received_at, source, event_name, reasons::text AS reasons, payload FROM quarantine WHERE tenant_id = ?"
                            + " AND EXISTS (SELECT 1 FROM unnest(?::text[]) v WHERE strpos(payload, v) > 0) ORDER BY id",
                    List.of("DELETE FROM quarantine WHERE tenant_id = ?"
                            + " AND EXISTS (SELECT 1 FROM unnest(?::text[]) v WHERE strpos(payload, v) > 0)")),
            new Table("identity_rules", Key.TEXT,
                    "SELECT kind, left_identifier, right_identifier, created_at FROM identity_rules"
                            + " WHERE tenant_id = ? AND (left_identifier = ANY(?) OR right_identifier = ANY(?)) ORDER BY id",
                    List.of())); // rewritten with the log's pseudonyms by SubjectRights, so a rebuild keeps the ruling

    /** Tables that hold no rows about one data subject, and why; erasure leaves them alone on purpose. */
    static final Map<String, String> NOT_PERSONAL = Map.ofEntries(
            Map.entry("event_log", "rewritten by SubjectRights (identifiers pseudonymised, traits and sealed fields removed)"),
            Map.entry("data_keys", "the person's keys are deleted by crypto-shredding; the others are other people's"),
            Map.entry("erasures", "the record that the person was erased, which erasure exists to keep"),
            Map.entry("audit_log", "append-only legal record; names the person only by id, which erasure unlinks from them"),
            Map.entry("audit_reads", "the audit log's sealed reads: the same legal record, the person named only by id"),
            Map.entry("audit_read_groups", "the audit log's sealed reads, packed per group: the same legal record, the person named only by id"),
            Map.entry("tenants", "the brand"), Map.entry("write_keys", "the brand's ingestion keys"),
            Map.entry("api_tokens", "staff credentials"), Map.entry("members", "staff accounts"),
            Map.entry("personal_tokens", "staff credentials"), Map.entry("oauth_clients", "staff credentials"),
            Map.entry("frozen_callers", "staff accounts frozen by the export watch"),
            Map.entry("tenant_keys", "key versions"), Map.entry("wecom_apps", "the brand's WeCom configuration"),
            Map.entry("segment_definitions", "definitions"), Map.entry("journeys", "definitions"),
            Map.entry("journey_versions", "definitions"), Map.entry("journey_cursor", "a sequence number"),
            Map.entry("journey_snapshots", "one row per brand: where its journey snapshot ends in the journal, and sizes"),
            Map.entry("journey_node_counts", "aggregate counts"), Map.entry("send_policies", "settings"),
            Map.entry("message_templates", "definitions"), Map.entry("webhook_endpoints", "settings"),
            Map.entry("coupon_templates", "definitions"), Map.entry("service_agents", "staff"),
            Map.entry("service_faqs", "the knowledge base"),
            Map.entry("service_unanswered", "questions kept without who asked them (no person column)"),
            Map.entry("service_connectors", "settings"), Map.entry("compliance_lists", "lexicons"),
            Map.entry("compliance_reviews", "copy under review; user-generated items carry the caller's free reference,"
                    + " not a person"),
            Map.entry("compliance_products", "product ratings"), Map.entry("risk_detectors", "settings"),
            Map.entry("referral_campaigns", "definitions"),
            Map.entry("coupon_issue_jobs", "bulk issue jobs: a template, a segment name and counts"),
            Map.entry("coupon_owed_batches", "coupon events waiting for one group commit to reach the log, deleted once logged"
                    + " (swept within a minute); the log is what erasure rewrites"),
            Map.entry("service_wecom_kf_settings", "the brand's WeCom Customer Service secret"),
            Map.entry("service_wecom_kf_cursors", "sync cursors per customer-service account"),
            Map.entry("service_wecom_kf_seen", "WeCom message ids already taken in, without person or content"));

    private final JdbcTemplate jdbc;

    PersonalRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The forms under which tables name a person and the people merged into them. */
    record Keys(Integer[] indexes, UUID[] ids, String[] texts) {

        static Keys of(List<PersonId> people, List<Identifier> identifiers) {
            List<String> texts = new ArrayList<>();
            identifiers.forEach(id -> texts.add(id.toString()));
            people.forEach(p -> texts.add(p.toString()));
            return new Keys(people.stream().map(PersonId::index).toArray(Integer[]::new),
                    people.stream().map(p -> UUID.fromString(p.toString())).toArray(UUID[]::new), texts.toArray(String[]::new));
        }
    }

    /**
     * @param quarantineNeedles quoted identifier values ({@code "u-42"}) to find the person's rejected messages by
     */
    Map<String, List<Map<String, Object>>> export(TenantId tenant, Keys keys, List<String> quarantineNeedles) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (Table table : TABLES) {
            List<Map<String, Object>> rows = jdbc.execute((ConnectionCallback<List<Map<String, Object>>>) c -> {
                try (var statement = c.prepareStatement(table.export() + (table.export().contains("LIMIT") ? "" : " LIMIT 1000"))) {
                    bind(c, statement, table, tenant, keys, quarantineNeedles);
                    try (ResultSet rs = statement.executeQuery()) {
                        return rows(rs);
                    }
                }
            });
            if (rows != null && !rows.isEmpty()) {
                out.put(table.name(), rows);
            }
        }
        return out;
    }

    /** Runs every table's erasure; call inside the erasure's transaction. @return rows touched per table */
    Map<String, Integer> erase(TenantId tenant, Keys keys, List<String> quarantineNeedles) {
        Map<String, Integer> touched = new LinkedHashMap<>();
        for (Table table : TABLES) {
            for (String sql : table.erase()) {
                Integer n = jdbc.execute((ConnectionCallback<Integer>) c -> {
                    try (var statement = c.prepareStatement(sql)) {
                        bind(c, statement, table, tenant, keys, quarantineNeedles);
                        return statement.executeUpdate();
                    }
                });
                touched.merge(table.name(), n == null ? 0 : n, Integer::sum);
            }
        }
        return touched;
    }

    private static void bind(java.sql.Connection c, java.sql.PreparedStatement statement, Table table, TenantId tenant, Keys keys,
            List<String> quarantineNeedles) throws SQLException {
        Array array = switch (table.key()) {
            case INDEX -> c.createArrayOf("int4", keys.indexes());
            case UUID -> c.createArrayOf("uuid", keys.ids());
            case TEXT -> c.createArrayOf("text", table.name().equals("quarantine") ? quarantineNeedles.toArray(String[]::new)
                    : keys.texts());
        };
        statement.setInt(1, tenant.value());
        int parameters = statement.getParameterMetaData().getParameterCount();
        for (int i = 2; i <= parameters; i++) {
            statement.setArray(i, array);
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                Object value = rs.getObject(i);
                row.put(meta.getColumnLabel(i), value == null ? null : value instanceof Number || value instanceof Boolean
                        ? value : value.toString());
            }
            rows.add(row);
        }
        return rows;
    }

    /** Every table the migrations create that this class has classified, personal or not. */
    static Set<String> classified() {
        Set<String> all = new java.util.TreeSet<>(NOT_PERSONAL.keySet());
        TABLES.forEach(t -> all.add(t.name()));
        return all;
    }
}
