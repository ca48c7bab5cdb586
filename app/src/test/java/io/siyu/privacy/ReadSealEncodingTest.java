package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer seals a read from its binary COPY row ({@link ReadSeal#addEncoded}); the verifier seals
 * the same read from the columns it reads back ({@link ReadSeal#add}). Both must hash the same
 * bytes, or every group written since the binary rows would verify as altered.
 */
class ReadSealEncodingTest {

    private static final long AT = 1_764_806_400_123L;

    private record Read(int tenant, String actor, String action, String subject, String detail) {}

    private static final List<Read> READS = List.of(
            new Read(1, "token:operator-1", "profile.read", "00000001-b1dc-8daf-ba28-8643b1b16d9c", "GET /api/v1/profiles/x"),
            new Read(AuditRing.NO_TENANT, "操作员 王", "profile.read", "人员-1", "导出\tC:\\tmp\n第二行\r😀"),
            new Read(7, "", "recommendation.read", "a", ""),
            new Read(Integer.MAX_VALUE, "x".repeat(200), "y".repeat(100), "é".repeat(500), "z".repeat(4_000)));

    @Test
    void theWritersEncodedRowsSealAsTheVerifiersColumns() {
        ReadSeal writer = new ReadSeal();
        ReadSeal verifier = new ReadSeal();
        AuditLog.BinaryRows rows = new AuditLog.BinaryRows();
        rows.start();
        long seq = 41;
        for (Read r : READS) {
            seq++;
            rows.rowOf7();
            rows.int64(seq);
            if (r.tenant() == AuditRing.NO_TENANT) {
                rows.nullField();
            } else {
                rows.int32(r.tenant());
            }
            rows.int64(0);
            int fields = rows.length;
            rows.text(r.actor());
            rows.text(r.action());
            rows.text(r.subject());
            rows.text(r.detail());
            writer.addEncoded(seq, r.tenant() == AuditRing.NO_TENANT ? 0 : r.tenant(), AT, rows.bytes, fields, rows.length - fields);
            verifier.add(seq, r.tenant() == AuditRing.NO_TENANT ? null : r.tenant(), Instant.ofEpochMilli(AT), r.actor(), r.action(),
                    r.subject(), r.detail());
        }
        rows.end();
        String sealed = writer.detail();
        assertThat(sealed).startsWith("reads 42-45 n=4 ");
        assertThat(verifier.compareWith(ReadSeal.parse(sealed))).isNull();
    }

    @Test
    void binaryRowsAreWhatPostgresReadsTextColumnsFrom() {
        AuditLog.BinaryRows rows = new AuditLog.BinaryRows();
        rows.start();
        rows.rowOf7();
        rows.int64(9);
        rows.nullField();
        rows.int32(3);
        rows.text("王\u0000x");
        rows.end();
        ByteBuffer b = ByteBuffer.wrap(rows.bytes, 0, rows.length);
        byte[] signature = new byte[11];
        b.get(signature);
        assertThat(signature).isEqualTo("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(b.getInt()).isZero(); // flags
        assertThat(b.getInt()).isZero(); // header extension
        assertThat(b.getShort()).isEqualTo((short) 7);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getLong()).isEqualTo(9);
        assertThat(b.getInt()).isEqualTo(-1);
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.getInt()).isEqualTo(3);
        byte[] text = new byte[b.getInt()];
        b.get(text);
        assertThat(new String(text, StandardCharsets.UTF_8)).as("NUL, which text cannot hold, is stored as U+FFFD")
                .isEqualTo("王\uFFFDx");
        assertThat(b.getShort()).isEqualTo((short) -1);
        assertThat(b.hasRemaining()).isFalse();
    }
}
