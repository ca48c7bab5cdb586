package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads stored one row per writer group ({@code audit_read_groups}): the queries find them, and the
 * verifier finds each kind of tampering with the packed reads. Tampering switches the append-only
 * triggers off, as an attacker with database rights would; each test puts the rows back.
 */
class AuditReadGroupsTest extends PrivacyApi {

    @Autowired
    private AuditLog audit;

    @Autowired
    private AuditVerifier verifier;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void readsArePackedOneRowPerGroupAndAnswerWhoReadThePerson() {
        Brand brand = newBrand();
        Brand other = newBrand();
        long groupsBefore = groups();
        for (int i = 0; i < 3_000; i++) {
            audit.note(brand.tenant().id(), "token:agent-" + i, "profile.read", "crowd-" + (i % 500), "GET /api/v1/profiles/crowd");
            if (i == 1_234) {
                audit.note(brand.tenant().id(), "token:once", "profile.read", "read-once", "GET /api/v1/profiles/read-once");
                audit.note(other.tenant().id(), "token:elsewhere", "profile.read", "read-once", "GET /api/v1/profiles/read-once");
            }
        }
        audit.flush();
        assertThat(groups() - groupsBefore).as("far fewer rows than reads").isBetween(1L, 200L);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_reads WHERE subject LIKE 'crowd-%' OR subject = 'read-once'")
                .query(Long.class).single()).isZero();

        assertThat(audit.about(brand.tenant().id(), "read-once", 10)).extracting(AuditLog.Entry::actor)
                .containsExactly("token:once");
        assertThat(audit.about(other.tenant().id(), "read-once", 10)).extracting(AuditLog.Entry::actor)
                .containsExactly("token:elsewhere");
        assertThat(audit.about(brand.tenant().id(), "never-read", 10)).isEmpty();
        List<AuditLog.Entry> crowd = audit.about(brand.tenant().id(), "crowd-7", 4);
        assertThat(crowd).hasSize(4).extracting(AuditLog.Entry::actor)
                .containsExactly("token:agent-2507", "token:agent-2007", "token:agent-1507", "token:agent-1007");
        assertThat(audit.about(brand.tenant().id(), "crowd-7", 100)).hasSize(6);

        List<AuditLog.Entry> page = audit.page(brand.tenant().id(), 0, 2_000);
        assertThat(page).hasSize(2_000);
        assertThat(page).extracting(AuditLog.Entry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(page).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(brand.tenant().id().value()));
        List<AuditLog.Entry> rest = audit.page(brand.tenant().id(), page.getLast().seq(), 5_000);
        assertThat(java.util.stream.Stream.concat(page.stream(), rest.stream()).filter(e -> e.action().equals("profile.read")))
                .hasSize(3_001);
        assertThat(rest.getFirst().seq()).isGreaterThan(page.getLast().seq());
        assertThat(audit.page(other.tenant().id(), 0, 100)).extracting(AuditLog.Entry::actor).containsExactly("token:elsewhere");

        long first = jdbc.sql("SELECT max(first_seq) FROM audit_read_groups").query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_read_groups SET reads = 0 WHERE first_seq = ?").param(first).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_read_groups WHERE first_seq = ?").param(first).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_read_groups").update()).hasMessageContaining("append-only");
        assertIntact();
    }

    @Test
    void readsWithChineseTabsAndNulArePackedAndVerify() {
        String detail = "GET /api/v1/profiles/人员-3?q=a\tb\\c\nd\re😀";
        audit.note(null, "操作员 李", "profile.read", "人员-3", detail);
        audit.note(null, "reader", "profile.read", "nul\u0000packed", "x");
        audit.flush();
        List<AuditLog.Entry> reads = ReadGroups.decode((byte[]) lastGroup()[1]);
        assertThat(reads).extracting(AuditLog.Entry::detail).contains(detail);
        assertThat(reads).extracting(AuditLog.Entry::subject).contains("nul\uFFFDpacked");
        assertIntact();
    }

    @Test
    void anAlteredByteIsFound() {
        long first = burst("altered-byte");
        byte[] packed = packed(first);
        packed[packed.length - 3] ^= 0x01; // inside the last read's detail
        tampered(() -> setPacked(first, packed),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsExactly("altered"));
    }

    @Test
    void aBrokenLengthIsFound() {
        long first = burst("broken-length");
        byte[] packed = packed(first);
        packed[20] = 0x7f; // the first read's actor length
        tampered(() -> setPacked(first, packed),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("altered"));
    }

    @Test
    void aDroppedGroupIsFound() {
        long first = burst("dropped-group");
        tampered(() -> jdbc.sql("DELETE FROM audit_read_groups WHERE first_seq = ?").param(first).update(),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("removed"));
    }

    @Test
    void swappedReadsAreFound() {
        long first = burst("swapped-reads");
        List<AuditLog.Entry> reads = ReadGroups.decode(packed(first));
        assertThat(reads.size()).isGreaterThanOrEqualTo(2);
        // the first two reads' contents exchanged, each keeping its number
        byte[] packed = packed(first);
        int end0 = endOfRead(packed, 0);
        int end1 = endOfRead(packed, end0);
        byte[] swapped = new byte[packed.length];
        System.arraycopy(packed, 0, swapped, 0, 8); // seq of read 0
        System.arraycopy(packed, end0 + 8, swapped, 8, end1 - end0 - 8); // content of read 1
        int at = 8 + end1 - end0 - 8;
        System.arraycopy(packed, end0, swapped, at, 8); // seq of read 1
        System.arraycopy(packed, 8, swapped, at + 8, end0 - 8); // content of read 0
        System.arraycopy(packed, end1, swapped, end1, packed.length - end1);
        tampered(() -> setPacked(first, swapped),
                report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).containsExactly("reordered"));
    }

    @Test
    void reorderedGroupsAreFound() {
        long a = burst("group-a");
        long b = burst("group-b");
        byte[] packedA = packed(a);
        byte[] packedB = packed(b);
        tampered(() -> {
            setPacked(a, packedB);
            setPacked(b, packedA);
        }, report -> assertThat(report.findings()).extracting(AuditVerifier.Finding::kind).contains("altered", "removed"));
    }

    /** Notes a burst of reads, so they share a group, and returns that group's first number. */
    private long burst(String subject) {
        audit.flush();
        for (int i = 0; i < 20; i++) {
            audit.note(null, "reader-" + i, "profile.read", subject, "GET /api/v1/profiles/" + subject);
        }
        audit.flush();
        long first = (Long) lastGroup()[0];
        assertThat(ReadGroups.decode(packed(first))).extracting(AuditLog.Entry::subject).contains(subject);
        assertIntact();
        return first;
    }

    private static int endOfRead(byte[] packed, int start) {
        int at = start + 8 + 4 + 8;
        for (int f = 0; f < 4; f++) {
            int n = (packed[at] & 0xff) << 24 | (packed[at + 1] & 0xff) << 16 | (packed[at + 2] & 0xff) << 8 | (packed[at + 3] & 0xff);
            at += 4 + n;
        }
        return at;
    }

    private long groups() {
        return jdbc.sql("SELECT count(*) FROM audit_read_groups").query(Long.class).single();
    }

    private Object[] lastGroup() {
        return jdbc.sql("SELECT first_seq, packed FROM audit_read_groups ORDER BY first_seq DESC LIMIT 1")
                .query((rs, row) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).single();
    }

    private byte[] packed(long first) {
        return jdbc.sql("SELECT packed FROM audit_read_groups WHERE first_seq = ?").param(first).query(byte[].class).single();
    }

    private void setPacked(long first, byte[] packed) {
        jdbc.sql("UPDATE audit_read_groups SET packed = ? WHERE first_seq = ?").params(packed, first).update();
    }

    private void tampered(Runnable tamper, Consumer<AuditVerifier.Report> check) {
        audit.flush();
        List<Map<String, Object>> before = jdbc.sql("SELECT * FROM audit_read_groups ORDER BY first_seq").query().listOfRows();
        long last = before.isEmpty() ? 0 : ((Number) before.getLast().get("first_seq")).longValue();
        setTriggers(false);
        try {
            tamper.run();
            check.accept(verifier.verify());
        } finally {
            audit.flush();
            List<Map<String, Object>> since = jdbc.sql("SELECT * FROM audit_read_groups WHERE first_seq > ? ORDER BY first_seq")
                    .param(last).query().listOfRows();
            jdbc.sql("DELETE FROM audit_read_groups").update();
            for (List<Map<String, Object>> rows : List.of(before, since)) {
                for (Map<String, Object> row : rows) {
                    jdbc.sql("INSERT INTO audit_read_groups (first_seq, last_seq, reads, tenants, subjects, packed) "
                                    + "VALUES (:first_seq, :last_seq, :reads, :tenants, :subjects, :packed)")
                            .params(row).update();
                }
            }
            setTriggers(true);
        }
        assertIntact();
    }

    private void assertIntact() {
        AuditVerifier.Report report = verifier.verify();
        assertThat(report.findings()).as("findings of an untouched log").isEmpty();
        assertThat(report.intact()).isTrue();
    }

    private void setTriggers(boolean enabled) {
        jdbc.sql("ALTER TABLE audit_read_groups " + (enabled ? "ENABLE" : "DISABLE") + " TRIGGER USER").update();
    }
}
