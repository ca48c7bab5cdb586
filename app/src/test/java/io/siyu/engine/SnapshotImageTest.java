package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory snapshot encoder writes exactly the bytes {@link DataOutputStream} writes. */
class SnapshotImageTest {

    /** Writes a random mix of every DataOutput call, the same sequence for any seed, to {@code out}. */
    private static void writeMix(long seed, DataOutput out) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < 400_000; i++) {
            switch (random.nextInt(12)) {
                case 0 -> out.writeInt(random.nextInt());
                case 1 -> out.writeLong(random.nextLong());
                case 2 -> out.writeShort(random.nextInt());
                case 3 -> out.writeByte(random.nextInt());
                case 4 -> out.writeBoolean(random.nextBoolean());
                case 5 -> out.writeDouble(random.nextDouble() * 1e9);
                case 6 -> out.writeFloat(random.nextFloat());
                case 7 -> out.writeChar(random.nextInt(65_536));
                case 8 -> out.writeUTF(randomText(random, random.nextInt(40)));
                case 9 -> {
                    byte[] bytes = new byte[random.nextInt(500) == 0 ? random.nextInt(300_000) : random.nextInt(50)];
                    random.nextBytes(bytes);
                    int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
                    out.write(bytes, off, bytes.length - off);
                }
                case 10 -> out.write(random.nextInt(256));
                default -> out.writeUTF(randomText(random, random.nextInt(500) == 0 ? 20_000 : 5));
            }
        }
    }

    /** ASCII, NUL, two- and three-byte characters and surrogate pairs (emoji), as in traits and names. */
    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            switch (random.nextInt(5)) {
                case 0 -> text.append((char) (32 + random.nextInt(95)));
                case 1 -> text.append('\0');
                case 2 -> text.append((char) (0x80 + random.nextInt(0x780))); // two bytes
                case 3 -> text.append("上海母婴美妆".charAt(random.nextInt(6)));
                default -> text.appendCodePoint(0x1F600 + random.nextInt(50));
            }
        }
        return text.toString();
    }

    @Test
    void writesTheBytesOfDataOutputStreamAcrossChunkBoundaries() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            writeMix(seed, new DataOutputStream(expected));
            SnapshotImage image = new SnapshotImage(7);
            writeMix(seed, image);
            ByteArrayOutputStream actual = new ByteArrayOutputStream();
            image.writeTo(new DataOutputStream(actual));
            assertThat(image.size()).isEqualTo(expected.size()).isGreaterThan(1L << 23); // several chunks of up to 4 MB
            assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void refusesAStringLongerThanModifiedUtf8Allows() {
        SnapshotImage image = new SnapshotImage(1);
        assertThatThrownBy(() -> image.writeUTF("上".repeat(21_846))) // 65,538 bytes encoded
                .isInstanceOf(UTFDataFormatException.class);
        assertThatThrownBy(() -> new DataOutputStream(new ByteArrayOutputStream()).writeUTF("上".repeat(21_846)))
                .isInstanceOf(UTFDataFormatException.class);
    }

    @Test
    void aTenantStateReadsBackFromItsImage() throws IOException {
        TenantState state = TenantState.withRules(3, java.util.List.of(), java.util.List.of());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        state.write(new DataOutputStream(expected));
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        SnapshotImage.of(state).writeTo(new DataOutputStream(actual));
        assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
        TenantState read = TenantState.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(actual.toByteArray())),
                java.util.List.of());
        assertThat(read.tenant()).isEqualTo(3);
    }
}
