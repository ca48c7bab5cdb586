package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.Role;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The audit chain detects each kind of tampering. Tampering needs the table owner to switch the
 * append-only trigger off, as an attacker with database rights would; each test puts the rows back,
 * so the chain is whole again for the others.
 */
class AuditChainTest extends PrivacyApi {

    @Autowired
    private AuditLog audit;

    @Autowired
    private AuditVerifier verifier;

    @Autowired
    private JdbcClient jdbc;

    /** These tests tamper with reads stored one row each, as logs written before V24 hold them (AuditReadGroupsTest: per group). */
    @org.junit.jupiter.api.BeforeEach
    void readsAsRows() {
        audit.flush();
        audit.readsAsRows = true;
    }

    @org.junit.jupiter.api.AfterEach
    void readsInGroups() {
        audit.flush();
        audit.readsAsRows = false;
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletes() {
        long seq = audit.recordAndWait(null, "test", "probe", "nobody", "");
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET detail = 'x' WHERE seq = ?").param(seq).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log WHERE seq = ?").param(seq).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_log").update()).hasMessageContaining("append-only");
        assertIntact();
    }

    @Test
    void entriesWithChineseTabsBackslashesAndNewlinesAreStoredAsGivenAndVerify() {
        String detail = "导出 export\tC:\\tmp\n第二行\r😀";
        long seq = audit.recordAndWait(null, "操作员 wang", "probe", "人员-1", detail);
        audit.note(null, "reader", "profile.read", "someone", "GET /api/v1/profiles/x");
        audit.flush();
        assertThat(jdbc.sql("SELECT actor || '|' || subject || '|' || detail FROM audit_log WHERE seq = ?").param(seq)
                .query(String.class).single()).isEqualTo("操作员 wang|人员-1|" + detail);
        assertIntact();
    }

    @Test
    void readsWithChineseTabsBackslashesNewlinesAndNulAreStoredAndVerify() {
        // reads go to audit_reads as binary COPY rows, sealed from the same bytes; the verifier hashes what it reads back
        String detail = "GET /api/v1/profiles/人员-2?q=a\tb\\c\nd\re😀";
        audit.note(null, "操作员 李", "profile.read", "人员-2", detail);
        audit.note(null, "reader", "profile.read", "nul\u0000inside", "x");
        audit.flush();
        assertThat(jdbc.sql("SELECT actor || '|' || detail FROM audit_reads WHERE subject = '人员-2'").query(String.class).single())
                .isEqualTo("操作员 李|" + detail);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_reads WHERE subject = 'nul\uFFFDinside'").query(Long.class).single())
                .as("a NUL, which text cannot hold, is stored as U+FFFD rather than failing the group").isEqualTo(1L);
        assertIntact();
    }

    @Test
    void anAlteredEntryIsFound() {
        long seq = entries(3).get(1);
        tampered(() -> jdbc.sql("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = ?").param(seq).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::seq, AuditVerifier.Finding::kind)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(seq, "altered")));
    }

    @Test
    void aRemovedEntryIsFound() {
        long seq = entries(3).get(1);
        tampered(() -> jdbc.sql("DELETE FROM audit_log WHERE seq = ?").param(seq).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsExactly("removed"));
    }

    @Test
    void reorderedEntriesAreFound() {
        List<Long> seqs = entries(3);
        long a = seqs.get(0);
        long b = seqs.get(1);
        tampered(() -> {
            // swap everything but the numbers, as moving rows around would
            jdbc.sql("""
                    UPDATE audit_log t SET tenant_id = o.tenant_id, at = o.at, actor = o.actor, action = o.action,
                           subject = o.subject, detail = o.detail, prev_hash = o.prev_hash, hash = o.hash
                    FROM (SELECT * FROM audit_log WHERE seq IN (?, ?)) o
                    WHERE t.seq IN (?, ?) AND o.seq <> t.seq""").params(a, b, a, b).update();
        }, report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::seq, AuditVerifier.Finding::kind)
                .contains(org.assertj.core.groups.Tuple.tuple(a, "reordered"), org.assertj.core.groups.Tuple.tuple(b, "reordered")));
    }

    @Test
    void aRecomputedPlainHashDoesNotPass() {
        long seq = entries(2).get(0);
        // an attacker who rewrites the detail and a plain SHA-256 in the hash column still fails: the chain is keyed
        tampered(() -> jdbc.sql("UPDATE audit_log SET detail = 'forged', hash = sha256(convert_to('forged', 'UTF8')) WHERE seq = ?")
                .param(seq).update(), report -> assertThat(report.intact()).isFalse());
    }

    @Test
    void aShortenedLogIsFound() {
        entries(2);
        tampered(() -> jdbc.sql("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)").update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("truncated"));
    }

    @Test
    void theVerifyEndpointAnswersAuditorsAndRecordsThatItRan() {
        Brand brand = newBrand();
        String auditor = token(brand, Role.AUDITOR);
        audit.recordAndWait(brand.tenant().id(), "test", "probe", "x", "");
        JsonNode report = body(call("POST", "/api/v1/audit/verify", auditor, null));
        assertThat(report.path("intact").asBoolean()).isTrue();
        assertThat(report.path("entries").asLong()).isPositive();
        JsonNode entries = body(call("GET", "/api/v1/audit?limit=50", auditor, null)).path("entries");
        assertThat(entries.toString()).contains("audit.verified");
        assertThat(call("GET", "/api/v1/audit?limit=0", auditor, null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/audit/verify", token(brand, Role.OPERATOR), null).statusCode()).isEqualTo(403);
    }

    @Test
    void profileReadsLoginsAndChangesAreAudited() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"audited\"}");
        String operator = token(brand, Role.OPERATOR);
        String id = body(call("GET", "/api/v1/profiles?identifier=user_id:audited", operator, null)).path("id").asString();
        asAdmin("PUT", "/api/v1/segments/vip", brand, "{\"condition\":\"count(\\\"Order Completed\\\", 30d) >= 1\"}");
        JsonNode entries = body(asAdmin("GET", "/api/v1/audit?limit=100", brand, null)).path("entries");
        assertThat(entries.toString()).contains("profile.read", id, "api.put", "/api/v1/segments/{name}");
        JsonNode reads = body(asAdmin("GET", "/api/v1/audit?subject=" + id, brand, null)).path("entries");
        assertThat(reads.get(0).path("actor").asString()).startsWith("token:operator-");
    }

    @Test
    void theCommandVerifiesThroughTheApiAndFailsOnABrokenChain() {
        var out = new java.io.ByteArrayOutputStream();
        String[] args = {"verify-audit", "--url", url(""), "--token", ADMIN, "--tenant", newBrand().slug()};
        assertThat(PrivacyCommand.run(args, new java.io.PrintStream(out, true))).isEqualTo(0);
        assertThat(out.toString()).contains("\"intact\":true");
        long seq = entries(2).get(0);
        tampered(() -> jdbc.sql("UPDATE audit_log SET actor = 'someone else' WHERE seq = ?").param(seq).update(),
                report -> assertThat(PrivacyCommand.run(args, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true)))
                        .isEqualTo(1));
        assertThat(PrivacyCommand.run(new String[] {"shred-everything"}, new java.io.PrintStream(out, true))).isEqualTo(2);
    }

    @Test
    void readsAreRowsUnderOneSealAndStillAnswerWhoReadThePerson() {
        Brand brand = newBrand();
        for (int i = 0; i < 5; i++) {
            audit.note(brand.tenant().id(), "token:agent-" + i, "profile.read", "person-x", "GET /api/v1/profiles/person-x");
        }
        audit.flush();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE subject = 'person-x'").query(Long.class).single())
                .as("reads are not chained one by one").isZero();
        assertThat(audit.about(brand.tenant().id(), "person-x", 10)).hasSize(5)
                .extracting(AuditLog.Entry::actor).startsWith("token:agent-4");
        assertThat(audit.page(brand.tenant().id(), 0, 100)).extracting(AuditLog.Entry::actor).contains("token:agent-0");
        long lastRead = jdbc.sql("SELECT max(seq) FROM audit_reads WHERE subject = 'person-x'").query(Long.class).single();
        String seal = jdbc.sql("SELECT detail FROM audit_log WHERE seq > ? AND action = ? ORDER BY seq LIMIT 1")
                .params(lastRead, ReadSeal.ACTION).query(String.class).single();
        ReadSeal.Claim claim = ReadSeal.parse(seal);
        assertThat(claim).isNotNull();
        assertThat(claim.first()).isLessThanOrEqualTo(lastRead);
        assertThat(claim.last()).isEqualTo(lastRead);
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_reads SET actor = 'x' WHERE seq = ?").param(lastRead).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_reads WHERE seq = ?").param(lastRead).update())
                .hasMessageContaining("append-only");
        assertIntact();
    }

    @Test
    void anAlteredReadIsFound() {
        long[] reads = neighbourReads("altered-read", 20);
        tampered(() -> jdbc.sql("UPDATE audit_reads SET actor = 'nobody' WHERE seq = ?").param(reads[0]).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsExactly("altered"));
    }

    @Test
    void aRemovedReadIsFound() {
        long[] reads = neighbourReads("removed-read", 20);
        tampered(() -> jdbc.sql("DELETE FROM audit_reads WHERE seq = ?").param(reads[1]).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsOnly("removed"));
    }

    @Test
    void reorderedReadsAreFound() {
        long[] reads = neighbourReads("reordered-read", 20);
        tampered(() -> jdbc.sql("""
                UPDATE audit_reads t SET tenant_id = o.tenant_id, at = o.at, actor = o.actor, action = o.action,
                       subject = o.subject, detail = o.detail
                FROM (SELECT * FROM audit_reads WHERE seq IN (?, ?)) o
                WHERE t.seq IN (?, ?) AND o.seq <> t.seq""").params(reads[0], reads[1], reads[0], reads[1]).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsExactly("reordered"));
    }

    @Test
    void aReadMovedIntoAnotherGroupOrAddedIsFound() {
        long[] reads = neighbourReads("added-read", 20);
        tampered(() -> jdbc.sql("""
                INSERT INTO audit_reads (seq, tenant_id, at, actor, action, subject, detail)
                SELECT seq + 1000000000, tenant_id, at, actor, action, subject, detail FROM audit_reads WHERE seq = ?""")
                .param(reads[0]).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("unsealed"));
    }

    @Test
    void anAlteredOrRemovedSealIsFound() {
        long[] reads = neighbourReads("sealed-read", 20);
        long seal = jdbc.sql("SELECT min(seq) FROM audit_log WHERE seq > ? AND action = ?").params(reads[1], ReadSeal.ACTION)
                .query(Long.class).single();
        tampered(() -> jdbc.sql("UPDATE audit_log SET detail = replace(detail, 'n=', 'n=1') WHERE seq = ?").param(seal).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::seq, AuditVerifier.Finding::kind)
                        .contains(org.assertj.core.groups.Tuple.tuple(seal, "altered")));
        // the last seal removed leaves its reads unsealed (and the log shorter than written)
        tampered(() -> jdbc.sql("DELETE FROM audit_log WHERE seq = ?").param(seal).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("unsealed"));
        // a seal removed from the middle is a gap, and its reads are more than the next seal counted
        audit.recordAndWait(null, "test", "probe", "after-the-seal", "");
        tampered(() -> jdbc.sql("DELETE FROM audit_log WHERE seq = ?").param(seal).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::seq, AuditVerifier.Finding::kind)
                        .contains(org.assertj.core.groups.Tuple.tuple(seal + 1, "removed")));
    }

    /** Writes {@code n} entries and returns their numbers. */
    private List<Long> entries(int n) {
        List<Long> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(audit.recordAndWait(null, "test", "probe", "entry-" + i, Map.of("i", i).toString()));
        }
        assertIntact();
        return seqs;
    }

    private void tampered(Runnable tamper, Consumer<AuditVerifier.Report> check) {
        List<Map<String, Object>> before = jdbc.sql("SELECT * FROM audit_log ORDER BY seq").query().listOfRows();
        List<Map<String, Object>> readsBefore = jdbc.sql("SELECT * FROM audit_reads ORDER BY seq").query().listOfRows();
        setTriggers(false);
        try {
            tamper.run();
            check.accept(verifier.verify());
        } finally {
            // entries written while tampered (the verify calls audit themselves) chain from the untouched log: keep them
            audit.flush();
            long last = Math.max(lastSeq(before), lastSeq(readsBefore));
            before = new java.util.ArrayList<>(before);
            long written = audit.writtenSeq(); // not what the tampering added past it
            before.addAll(jdbc.sql("SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq").params(last, written)
                    .query().listOfRows());
            readsBefore = new java.util.ArrayList<>(readsBefore);
            readsBefore.addAll(jdbc.sql("SELECT * FROM audit_reads WHERE seq > ? AND seq <= ? ORDER BY seq").params(last, written)
                    .query().listOfRows());
            jdbc.sql("DELETE FROM audit_log").update();
            jdbc.sql("DELETE FROM audit_reads").update();
            for (Map<String, Object> row : before) {
                jdbc.sql("INSERT INTO audit_log (seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash) "
                                + "VALUES (:seq, :tenant_id, :at, :actor, :action, :subject, :detail, :prev_hash, :hash)")
                        .params(row).update();
            }
            for (Map<String, Object> row : readsBefore) {
                jdbc.sql("INSERT INTO audit_reads (seq, tenant_id, at, actor, action, subject, detail) "
                                + "VALUES (:seq, :tenant_id, :at, :actor, :action, :subject, :detail)")
                        .params(row).update();
            }
            setTriggers(true);
        }
        assertIntact();
    }

    private static long lastSeq(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? 0 : ((Number) rows.getLast().get("seq")).longValue();
    }

    /**
     * Notes {@code n} reads in a burst and returns the numbers of two neighbouring ones: neighbours
     * share their group's seal, since a seal takes a number after each group's reads.
     */
    private long[] neighbourReads(String subject, int n) {
        for (int i = 0; i < n; i++) {
            audit.note(null, "reader-" + i, "profile.read", subject, "GET /api/v1/profiles/" + subject);
        }
        audit.flush();
        List<Long> seqs = jdbc.sql("SELECT seq FROM audit_reads WHERE subject = ? ORDER BY seq").param(subject)
                .query(Long.class).list();
        assertThat(seqs).hasSize(n);
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) == seqs.get(i - 1) + 1) {
                assertIntact();
                return new long[] {seqs.get(i - 1), seqs.get(i)};
            }
        }
        throw new AssertionError("no two reads of " + n + " were written in one group: " + seqs);
    }

    private void assertIntact() {
        AuditVerifier.Report report = verifier.verify();
        assertThat(report.findings()).as("findings of an untouched log").isEmpty();
        assertThat(report.intact()).isTrue();
    }

    private void setReadTriggers(boolean enabled) {
        jdbc.sql("ALTER TABLE audit_reads " + (enabled ? "ENABLE" : "DISABLE") + " TRIGGER USER").update();
    }

    private void setTriggers(boolean enabled) {
        jdbc.sql("ALTER TABLE audit_log " + (enabled ? "ENABLE" : "DISABLE") + " TRIGGER USER").update();
        setReadTriggers(enabled);
    }
}
