package io.siyu.platform;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, encoded into one growing array: the signature
 * header, then per row the field count and each field as a length and its bytes (-1 for null),
 * then -1. Text goes as UTF-8 (the database's encoding), timestamps as microseconds since
 * 2000-01-01 UTC. Nothing to escape on our side and nothing to parse on the server's; no stream
 * layers, and the array goes to the server as it is.
 */
public final class BinaryCopy {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private byte[] buf;
    private int size;

    /** @param expectedBytes a guess at the encoded size; the array grows past it */
    public BinaryCopy(int expectedBytes) {
        buf = new byte[Math.max(64, expectedBytes)];
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        size = HEADER.length;
    }

    public BinaryCopy row(int fields) {
        ensure(2);
        putShort(fields);
        return this;
    }

    public BinaryCopy int4(int value) {
        ensure(8);
        putInt(4);
        putInt(value);
        return this;
    }

    public BinaryCopy bool(boolean value) {
        ensure(5);
        putInt(1);
        buf[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    public BinaryCopy text(@Nullable String value) {
        if (value == null) {
            return nullField();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ensure(4 + utf8.length);
        putInt(utf8.length);
        System.arraycopy(utf8, 0, buf, size, utf8.length);
        size += utf8.length;
        return this;
    }

    public BinaryCopy uuid(@Nullable UUID value) {
        if (value == null) {
            return nullField();
        }
        ensure(20);
        putInt(16);
        putLong(value.getMostSignificantBits());
        putLong(value.getLeastSignificantBits());
        return this;
    }

    /** A {@code timestamptz}, to the microsecond. */
    public BinaryCopy timestamp(Instant at) {
        ensure(12);
        putInt(8);
        putLong(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000) - POSTGRES_EPOCH_MICROS);
        return this;
    }

    public BinaryCopy nullField() {
        ensure(4);
        putInt(-1);
        return this;
    }

    /** The encoded rows with the trailer, e.g. for a stream. */
    public byte[] toByteArray() {
        return Arrays.copyOf(finished(), size);
    }

    /**
     * Sends the rows with {@code copySql} ({@code COPY t (…) FROM STDIN (FORMAT binary)}) on the
     * connection, in its current transaction.
     *
     * @return rows written
     */
    public long copyIn(Connection connection, String copySql) throws SQLException {
        byte[] rows = finished();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(rows, 0, size);
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy(); // leave the connection usable
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private byte[] finished() {
        if (!trailed) {
            grow(2);
            putShort(-1);
            trailed = true;
        }
        return buf;
    }

    private boolean trailed;

    private void ensure(int more) {
        if (trailed) {
            throw new IllegalStateException("the rows are finished");
        }
        grow(more);
    }

    private void grow(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private void putShort(int v) {
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putInt(int v) {
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
