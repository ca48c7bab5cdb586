package io.siyu.engine;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link DataInput} over a slice of a byte array, for decoding log records. Replay decodes every
 * event of the log, and a {@link DataInputStream} over a {@code ByteArrayInputStream} takes a lock
 * and a virtual call for each field; this reads fields straight from the array, and ASCII strings
 * (most names and ids) without a char buffer.
 */
final class ByteReader implements DataInput {

    private final byte[] bytes;
    private final int end;
    private int position;

    ByteReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    private int take(int n) throws EOFException {
        if (end - position < n) {
            throw new EOFException("record ends " + (n - (end - position)) + " bytes early");
        }
        int at = position;
        position += n;
        return at;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        System.arraycopy(bytes, take(len), b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return bytes[take(1)] != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return bytes[take(1)];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return bytes[take(1)] & 0xff;
    }

    @Override
    public short readShort() throws IOException {
        int at = take(2);
        return (short) ((bytes[at] << 8) | (bytes[at + 1] & 0xff));
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readUnsignedShort();
    }

    @Override
    public int readInt() throws IOException {
        int at = take(4);
        return (bytes[at] << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    @Override
    public long readLong() throws IOException {
        return ((long) readInt() << 32) | (readInt() & 0xffff_ffffL);
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not part of the log format. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("log records have no lines");
    }

    /** Modified UTF-8 as {@link java.io.DataOutput#writeUTF} wrote it; ASCII takes the fast path. */
    @Override
    public String readUTF() throws IOException {
        return readUTF(null);
    }

    /** As {@link #readUTF()}, with ASCII values taken from {@code table} when one is given. */
    String readUTF(@org.jspecify.annotations.Nullable StringTable table) throws IOException {
        int start = position;
        int length = readUnsignedShort();
        int at = take(length);
        for (int i = at; i < at + length; i++) {
            if (bytes[i] <= 0) { // non-ASCII, or the two-byte form of NUL: the general decoder
                position = start;
                return DataInputStream.readUTF(this);
            }
        }
        return table == null ? new String(bytes, at, length, StandardCharsets.ISO_8859_1) : table.ascii(bytes, at, length);
    }
}
