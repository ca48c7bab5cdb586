package io.siyu.ingestion.imports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * A file read as gzip data (RFC 1952), compressed as it is read: the JDK only compresses onto an
 * {@code OutputStream}, and an HTTP body publisher pulls from an {@code InputStream}. A pipe and a
 * thread would do too, but would hide a read error of the file in the other thread.
 */
final class GzipOnTheFly {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private GzipOnTheFly() {}

    static InputStream of(Path file) throws IOException {
        CRC32 crc = new CRC32();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        InputStream content = new CheckedInputStream(Files.newInputStream(file), crc);
        InputStream deflated = new DeflaterInputStream(content, deflater, 64 * 1024);
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < 3;
            }

            @Override
            public InputStream nextElement() {
                return switch (next++) {
                    case 0 -> new ByteArrayInputStream(HEADER);
                    case 1 -> deflated;
                    case 2 -> trailer(crc, deflater); // asked for only once the deflated part is read to its end
                    default -> throw new NoSuchElementException();
                };
            }
        };
        return new SequenceInputStream(parts);
    }

    private static InputStream trailer(CRC32 crc, Deflater deflater) {
        long crcValue = crc.getValue();
        long size = deflater.getBytesRead();
        deflater.end();
        byte[] trailer = new byte[8];
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (crcValue >>> (8 * i));
            trailer[4 + i] = (byte) (size >>> (8 * i));
        }
        return new ByteArrayInputStream(trailer);
    }
}
