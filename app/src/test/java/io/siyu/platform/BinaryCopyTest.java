package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BinaryCopyTest {

    @Test
    void encodesEachFieldAsItsLengthAndBytesBetweenTheHeaderAndTheTrailer() {
        UUID id = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
        byte[] bytes = new BinaryCopy(0).row(6).int4(-7).text("券").uuid(id).bool(true).timestamp(Instant.parse("2000-01-01T00:00:01.000002Z"))
                .text(null).toByteArray();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(new String(signature, StandardCharsets.ISO_8859_1)).isEqualTo("PGCOPY\n\377\r\n\0");
        assertThat(in.getInt()).as("flags").isZero();
        assertThat(in.getInt()).as("header extension").isZero();
        assertThat(in.getShort()).isEqualTo((short) 6);
        assertThat(in.getInt()).isEqualTo(4);
        assertThat(in.getInt()).isEqualTo(-7);
        assertThat(in.getInt()).isEqualTo(3); // 券 is three bytes of UTF-8
        byte[] text = new byte[3];
        in.get(text);
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("券");
        assertThat(in.getInt()).isEqualTo(16);
        assertThat(new UUID(in.getLong(), in.getLong())).isEqualTo(id);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.get()).isEqualTo((byte) 1);
        assertThat(in.getInt()).isEqualTo(8);
        assertThat(in.getLong()).as("microseconds since 2000-01-01").isEqualTo(1_000_002L);
        assertThat(in.getInt()).as("null").isEqualTo(-1);
        assertThat(in.getShort()).as("trailer").isEqualTo((short) -1);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void growsPastItsFirstGuessAndRefusesRowsOnceFinished() {
        BinaryCopy copy = new BinaryCopy(1);
        String long1000 = "x".repeat(1_000);
        for (int i = 0; i < 100; i++) {
            copy.row(1).text(long1000);
        }
        assertThat(copy.toByteArray()).hasSize(19 + 100 * (2 + 4 + 1_000) + 2);
        assertThatThrownBy(() -> copy.row(1)).isInstanceOf(IllegalStateException.class);
    }
}
