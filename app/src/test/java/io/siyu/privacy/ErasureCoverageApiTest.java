package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Erasure and access reach every per-person table outside the log ({@link PersonalRecords}).
 * Membership history is made by the real segment flow; the rows of the other capabilities are
 * written as they write them (their own APIs would need a channel or a journey in flight).
 */
class ErasureCoverageApiTest extends PrivacyApi {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void accessShowsAndErasureRemovesThePersonsRowsEverywhereAndLeavesOthersAlone() throws Exception {
        Brand brand = newBrand();
        int tenant = brand.tenant().id().value();
        defineSegment(brand, "buyers", "{\"condition\":\"order_count >= 1\"}");
        for (String user : new String[] {"cov-a", "cov-b"}) {
            post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\",\"traits\":{\"email\":\"" + user + "@example.cn\"}}");
            post("/v1/track", brand.writeKey(),
                    "{\"userId\":\"" + user + "\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"" + user + "\",\"total\":5}}");
        }
        String a = profile(brand, "user_id:cov-a").path("id").asString();
        String b = profile(brand, "user_id:cov-b").path("id").asString();
        int aIndex = io.siyu.identity.PersonId.parse(a).index();
        awaitRows("SELECT count(*) FROM membership_changes WHERE tenant_id = ?", tenant, 2);
        for (String[] person : new String[][] {{a, "cov-a"}, {b, "cov-b"}}) {
            rowsOf(tenant, UUID.fromString(person[0]), person[1]);
        }

        JsonNode export = body(asAdmin("GET", "/api/v1/privacy/people/" + a + "/export", brand, null)).path("records");
        assertThat(export.path("membership_changes").get(0).path("name").asString()).isEqualTo("buyers");
        assertThat(export.path("message_outbox").get(0).path("address").asString()).isEqualTo("cov-a@example.cn");
        assertThat(export.path("inbox_messages").get(0).path("body").asString()).contains("cov-a");
        assertThat(export.path("send_decisions").get(0).path("reason").asString()).isEqualTo("consent:refused");
        assertThat(export.path("risk_cases").get(0).path("detector").asString()).isEqualTo("cancels");
        assertThat(export.path("service_messages").get(0).path("text").asString()).contains("cov-a");
        assertThat(export.path("service_tickets").size()).isEqualTo(1);
        assertThat(export.path("quarantine").get(0).path("payload").asString()).contains("cov-a");
        assertThat(export.path("identity_rules").size()).isEqualTo(1);
        assertThat(export.path("service_wecom_kf_threads").get(0).path("external_userid").asString()).isEqualTo("ext-cov-a");
        assertThat(export.path("service_wecom_kf_outbox").get(0).path("text").asString()).contains("cov-a");
        assertThat(export.path("referral_codes").get(0).path("code").asString()).isEqualTo("code-cov-a");
        assertThat(export.path("referral_signals").size()).isEqualTo(1);
        assertThat(export.path("help_tasks").get(0).path("id").asString()).isEqualTo("task-cov-a");
        assertThat(export.path("referral_notices").get(0).path("message_id").asString()).isEqualTo("n-cov-a");
        assertThat(export.path("journey_snapshot_rows").get(0).path("node").asString()).isEqualTo("w-cov-a");
        assertThat(export.toString()).as("nothing of the other person").doesNotContain("cov-b");

        JsonNode erased = body(asAdmin("POST", "/api/v1/privacy/people/" + a + "/erase", brand, null));
        assertThat(erased.path("records").path("membership_changes").asInt()).isPositive();

        assertThat(count("SELECT count(*) FROM membership_changes WHERE tenant_id = ? AND person = " + aIndex, tenant)).isZero();
        assertThat(count("SELECT count(*) FROM send_decisions WHERE tenant_id = ? AND person = '" + a + "'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM inbox_messages WHERE tenant_id = ? AND person_id = '" + a + "'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM risk_cases WHERE tenant_id = ? AND person = '" + a + "'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM service_conversations WHERE tenant_id = ? AND person = 'user_id:cov-a'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM service_tickets WHERE tenant_id = ? AND person = 'user_id:cov-a'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM quarantine WHERE tenant_id = ? AND payload LIKE '%cov-a%'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM identity_rules WHERE tenant_id = ? AND left_identifier = 'user_id:cov-a'", tenant))
                .isZero();
        assertThat(count("SELECT count(*) FROM identity_rules WHERE tenant_id = ?", tenant)).as("the ruling stays, pseudonymised")
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM service_wecom_kf_threads WHERE tenant_id = ? AND external_userid = 'ext-cov-a'", tenant))
                .isZero();
        assertThat(count("SELECT count(*) FROM service_wecom_kf_outbox WHERE tenant_id = ? AND text LIKE '%cov-a%'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM referral_codes WHERE tenant_id = ? AND person_id = '" + a + "'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM referral_signals WHERE tenant_id = ? AND person_id = '" + a + "'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM help_tasks WHERE tenant_id = ? AND owner_identifier = 'user_id:cov-a'", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM journey_snapshot_rows WHERE tenant_id = ? AND person = " + aIndex, tenant)).isZero();
        assertThat(jdbc.sql("SELECT body || status FROM referral_notices WHERE tenant_id = ? AND message_id = 'n-cov-a'")
                .param(tenant).query(String.class).single()).as("a pending notice about them is not sent").isEqualTo("{}DEAD");
        for (String table : new String[] {"service_wecom_kf_threads WHERE external_userid = 'ext-cov-b'",
                "referral_codes WHERE code = 'code-cov-b'", "referral_signals WHERE value = 'dev-cov-b'",
                "help_tasks WHERE owner_identifier = 'user_id:cov-b'", "referral_notices WHERE body LIKE '%cov-b%'",
                "journey_snapshot_rows WHERE node = 'w-cov-b'"}) {
            assertThat(count("SELECT count(*) FROM " + table.replace(" WHERE ", " WHERE tenant_id = ? AND "), tenant))
                    .as("the other person's row in " + table).isEqualTo(1);
        }
        assertThat(jdbc.sql("SELECT address || body FROM message_outbox WHERE tenant_id = ? AND person_id = ?::uuid")
                .params(tenant, a).query(String.class).single()).as("the outbox row stays for idempotency, scrubbed")
                .isEqualTo("(erased)");

        for (String table : new String[] {"send_decisions", "risk_cases"}) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE tenant_id = ? AND person = '" + b + "'", tenant)).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM inbox_messages WHERE tenant_id = ? AND person_id = '" + b + "'", tenant)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM service_messages m JOIN service_conversations c ON c.id = m.conversation_id"
                + " WHERE c.tenant_id = ? AND c.person = 'user_id:cov-b'", tenant)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM quarantine WHERE tenant_id = ? AND payload LIKE '%cov-b%'", tenant)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM membership_changes WHERE tenant_id = ?", tenant)).as("cov-b's entry").isEqualTo(1);
        assertThat(body(asAdmin("GET", "/api/v1/privacy/people/" + b + "/export", brand, null)).path("records")
                .path("message_outbox").get(0).path("address").asString()).isEqualTo("cov-b@example.cn");
    }

    private void rowsOf(int tenant, UUID person, String user) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("INSERT INTO journey_snapshot_rows (tenant_id, kind, journey_id, version, person, entry, step, node, at, deadline) "
                + "VALUES (?, 'E', 1, 1, ?, 1, 1, ?, 1, 2)")
                .params(tenant, io.siyu.identity.PersonId.parse(person.toString()).index(), "w-" + user).update();
        jdbc.sql("INSERT INTO send_decisions (tenant_id, person, channel, decision, reason, at) VALUES (?, ?, 'sms', 'SUPPRESS', 'consent:refused', 1)")
                .params(tenant, person).update();
        jdbc.sql("""
                INSERT INTO message_outbox (tenant_id, message_id, person_id, channel, template, address, subject, body, marketing,
                    origin, status, next_attempt_at, created_at, sent_at)
                VALUES (?, ?, ?, 'email', 't', ?, '您好', ?, false, 'api', 'SENT', ?, ?, ?)""")
                .params(tenant, "m-" + user, person, user + "@example.cn", "hello " + user, now, now, now).update();
        jdbc.sql("INSERT INTO inbox_messages (tenant_id, person_id, message_id, title, body, created_at) VALUES (?, ?, ?, 't', ?, ?)")
                .params(tenant, person, "i-" + user, "for " + user, now).update();
        jdbc.sql("""
                INSERT INTO risk_cases (tenant_id, detector, action, person, seq, occurred_at, evidence, status, frozen)
                VALUES (?, 'cancels', 'FLAG', ?, ?, ?, '51 cancellations', 'FLAGGED', false)""")
                .params(tenant, person, (long) user.hashCode(), now).update();
        UUID conversation = UUID.randomUUID();
        jdbc.sql("INSERT INTO service_conversations (id, tenant_id, channel, person, created_at, updated_at) VALUES (?, ?, 'api', ?, ?, ?)")
                .params(conversation, tenant, "user_id:" + user, now, now).update();
        jdbc.sql("INSERT INTO service_messages (conversation_id, seq, sender, text, created_at) VALUES (?, 1, 'person', ?, ?)")
                .params(conversation, "我是 " + user + "，地址改一下", now).update();
        jdbc.sql("""
                INSERT INTO service_tickets (tenant_id, conversation_id, person, kind, queue, reason, priority, status, summary,
                    sla_due_at, created_at)
                VALUES (?, ?, ?, 'handoff', 'general', 'asked', 'NORMAL', 'open', ?, ?, ?)""")
                .params(tenant, conversation, "user_id:" + user, "summary " + user, now, now).update();
        jdbc.sql("INSERT INTO quarantine (tenant_id, received_at, source, event_name, message_id, reasons, payload) "
                        + "VALUES (?, ?, 'track', 'Order Completed', ?, '[]'::jsonb, ?)")
                .params(tenant, now, "q-" + user, "{\"userId\":\"" + user + "\",\"event\":\"Order Completed\"}").update();
        jdbc.sql("INSERT INTO identity_rules (tenant_id, kind, left_identifier, right_identifier, since_seq) VALUES (?, 'DISTINCT', ?, ?, 0)")
                .params(tenant, "user_id:" + user, "user_id:not-" + user).update();
        // WeCom Customer Service: the conversation's thread and a reply waiting to go out
        jdbc.sql("INSERT INTO service_wecom_kf_threads (conversation_id, tenant_id, corp_id, open_kfid, external_userid, created_at) "
                        + "VALUES (?, ?, 'corp', 'kf-1', ?, ?)").params(conversation, tenant, "ext-" + user, now).update();
        jdbc.sql("INSERT INTO service_wecom_kf_outbox (tenant_id, conversation_id, seq, text, created_at) VALUES (?, ?, 2, ?, ?)")
                .params(tenant, conversation, "回复 " + user, now).update();
        // referral: a share code, a device seen, a help task and the ERP notice of its completion
        jdbc.sql("INSERT INTO referral_campaigns (tenant_id, id, name, kind, status, starts_at, ends_at, landing_url, friend_rewards, "
                        + "helpers_needed, created_at) VALUES (?, 'help', '好友助力', 'HELP', 'ACTIVE', ?, ?, 'https://shop.example.cn/', "
                        + "'{}', 2, ?) ON CONFLICT DO NOTHING")
                .params(tenant, now, Timestamp.from(Instant.now().plusSeconds(86_400)), now).update();
        jdbc.sql("INSERT INTO referral_codes (tenant_id, code, campaign_id, person_id, identifier, created_at) VALUES (?, ?, 'help', ?, ?, ?)")
                .params(tenant, "code-" + user, person, "user_id:" + user, now).update();
        jdbc.sql("INSERT INTO referral_signals (tenant_id, signal, value, person_id, seen_at) VALUES (?, 'device', ?, ?, ?)")
                .params(tenant, "dev-" + user, person, now).update();
        jdbc.sql("INSERT INTO help_tasks (tenant_id, id, campaign_id, owner_person, owner_identifier, needed, status, started_at, "
                        + "expires_at) VALUES (?, ?, 'help', ?, ?, 2, 'OPEN', ?, ?)")
                .params(tenant, "task-" + user, person, "user_id:" + user, now, now).update();
        jdbc.sql("INSERT INTO referral_notices (tenant_id, message_id, endpoint, body, status, next_attempt_at, created_at) "
                        + "VALUES (?, ?, 'erp', ?, 'PENDING', ?, ?)")
                .params(tenant, "n-" + user, "{\"person\":\"" + person + "\",\"identifier\":\"user_id:" + user + "\"}", now, now)
                .update();
    }

    private void defineSegment(Brand brand, String name, String body) {
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/api/v1/segments/" + name))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode()).isEqualTo(200);
    }

    private long count(String sql, int tenant) {
        return jdbc.sql(sql).param(tenant).query(Long.class).single();
    }

    private void awaitRows(String sql, int tenant, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(sql, tenant) < n) {
            assertThat(System.nanoTime()).as("membership changes recorded in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
