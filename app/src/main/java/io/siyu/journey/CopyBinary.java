package io.siyu.journey;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL's binary COPY format for the journey tables, both ways: rows are written into chunks
 * of a few megabytes (a ten-million-row snapshot is never one array, nor copied when it grows) and
 * read back row by row as the server sends them, decoded in place. Integers go as their big-endian
 * bytes, text as UTF-8, {@code jsonb} as its version byte (1) and the JSON text.
 */
final class CopyBinary {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final int CHUNK = 4 << 20;

    private CopyBinary() {}

    /** Rows being written: call {@link #row} with the field count, then one method per field, then {@link #end}. */
    static final class Writer extends OutputStream {
        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk;
        private int at;
        private long rows;
        private boolean ended;

        Writer() {
            this(64 << 10);
        }

        Writer(int firstChunk) {
            chunk = new byte[Math.min(CHUNK, Math.max(64, firstChunk))];
            write(HEADER, 0, HEADER.length);
        }

        @Override
        public void write(int b) {
            if (at == chunk.length) {
                grow(1);
            }
            chunk[at++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (at == chunk.length) {
                    grow(length);
                }
                int n = Math.min(length, chunk.length - at);
                System.arraycopy(bytes, offset, chunk, at, n);
                at += n;
                offset += n;
                length -= n;
            }
        }

        private void grow(int wanted) {
            if (chunk.length < CHUNK) { // small batches stay one array, doubling until a chunk's size
                chunk = Arrays.copyOf(chunk, Math.min(CHUNK, Math.max(chunk.length * 2, at + wanted)));
                return;
            }
            full.add(chunk);
            chunk = new byte[CHUNK];
            at = 0;
        }

        Writer row(int fields) {
            rows++;
            return int16(fields);
        }

        private Writer int16(int v) {
            write(v >>> 8);
            write(v);
            return this;
        }

        private void raw32(int v) {
            if (chunk.length - at < 4) {
                write(v >>> 24);
                write(v >>> 16);
                write(v >>> 8);
                write(v);
                return;
            }
            chunk[at] = (byte) (v >>> 24);
            chunk[at + 1] = (byte) (v >>> 16);
            chunk[at + 2] = (byte) (v >>> 8);
            chunk[at + 3] = (byte) v;
            at += 4;
        }

        Writer int4(int v) {
            raw32(4);
            raw32(v);
            return this;
        }

        /** A PostgreSQL {@code "char"}: one byte. */
        Writer char1(char v) {
            raw32(1);
            write(v);
            return this;
        }

        Writer int8(long v) {
            raw32(8);
            raw32((int) (v >>> 32));
            raw32((int) v);
            return this;
        }

        Writer text(@Nullable String v) {
            if (v == null) {
                raw32(-1);
                return this;
            }
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            raw32(utf8.length);
            write(utf8, 0, utf8.length);
            return this;
        }

        /** A jsonb field from its JSON text (null writes SQL NULL). */
        Writer jsonb(byte @Nullable [] json) {
            if (json == null) {
                raw32(-1);
                return this;
            }
            raw32(json.length + 1);
            write(1);
            write(json, 0, json.length);
            return this;
        }

        long rows() {
            return rows;
        }

        /**
         * Writes the trailer (the first time) and sends everything to the COPY; may be sent again
         * to another COPY. A failed COPY is cancelled, so the connection stays usable.
         */
        long send(CopyIn copy) throws SQLException {
            if (!ended) {
                int16(-1);
                ended = true;
            }
            try {
                for (byte[] b : full) {
                    copy.writeToCopy(b, 0, b.length);
                }
                copy.writeToCopy(chunk, 0, at);
                return copy.endCopy();
            } catch (SQLException | RuntimeException e) {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException cancel) {
                        e.addSuppressed(cancel);
                    }
                }
                throw e;
            }
        }
    }

    /** Told each row of a binary COPY out, positioned at its first field's length. */
    @FunctionalInterface
    interface RowReader {
        void row(ByteBuffer row) throws IOException;
    }

    /** Reads a binary COPY out to its end; each row is decoded in the server's message, without copying. */
    static long read(CopyOut copy, RowReader reader) throws SQLException, IOException {
        long rows = 0;
        boolean header = true;
        try {
            for (byte[] message = copy.readFromCopy(); message != null; message = copy.readFromCopy()) {
                ByteBuffer row = ByteBuffer.wrap(message);
                if (header) {
                    if (message.length < HEADER.length || !Arrays.equals(message, 0, 11, HEADER, 0, 11)) {
                        throw new IOException("not a binary COPY stream");
                    }
                    row.position(11 + 4);
                    int extension = row.getInt();
                    row.position(row.position() + extension);
                    header = false;
                }
                while (row.remaining() >= 2) {
                    if (row.getShort() == -1) {
                        break; // the trailer; the server ends the COPY after it
                    }
                    reader.row(row);
                    rows++;
                }
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("a binary COPY row ended early", e);
        }
        return rows;
    }

    static int int4(ByteBuffer row) {
        row.getInt();
        return row.getInt();
    }

    static long int8(ByteBuffer row) {
        row.getInt();
        return row.getLong();
    }

    static @Nullable String text(ByteBuffer row) {
        int length = row.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(row.array(), row.position(), length, StandardCharsets.UTF_8);
        row.position(row.position() + length);
        return s;
    }

    /** A jsonb field's JSON text, or null. */
    static @Nullable String jsonb(ByteBuffer row) {
        int length = row.getInt();
        if (length < 0) {
            return null;
        }
        byte version = row.get();
        if (version != 1) {
            throw new IllegalStateException("unknown jsonb binary version " + version);
        }
        String s = new String(row.array(), row.position(), length - 1, StandardCharsets.UTF_8);
        row.position(row.position() + length - 1);
        return s;
    }
}
