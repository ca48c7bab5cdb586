package io.siyu.engine;

import java.io.DataOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenant's snapshot, serialised in memory: the consistent copy the partition takes between two
 * events, so that writing and fsyncing the file can happen on another thread while the partition
 * applies the next events. The bytes are exactly what {@link java.io.DataOutputStream} would have
 * written (same big-endian numbers, same modified UTF-8), so {@link TenantState#read} reads them.
 *
 * <p>Unsynchronised and without an underlying stream, so a write is an array store: serialising
 * here is what the partition pauses for. Kept in chunks so that a large tenant never needs one huge
 * array nor the copying of a growing one.
 */
final class SnapshotImage extends OutputStream implements DataOutput {

    private static final int FIRST_CHUNK = 1 << 16;
    private static final int MAX_CHUNK = 1 << 22;

    private final int tenant;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] chunk = new byte[FIRST_CHUNK];
    private int position;
    private long size;

    SnapshotImage(int tenant) {
        this.tenant = tenant;
    }

    /** Serialises the state now, on the calling (owning) thread. */
    static SnapshotImage of(TenantState state) throws IOException {
        return of(state.capture());
    }

    /** Serialises a captured state; any thread. */
    static SnapshotImage of(TenantState.Capture capture) throws IOException {
        SnapshotImage image = new SnapshotImage(capture.tenant());
        capture.writeTo(image);
        return image;
    }

    int tenant() {
        return tenant;
    }

    /** Bytes written. */
    long size() {
        return size;
    }

    /** Writes the bytes, in order, to {@code out}: a file, or another snapshot being written. */
    void writeTo(DataOutput out) throws IOException {
        for (byte[] c : full) {
            out.write(c);
        }
        out.write(chunk, 0, position);
    }

    private void room(int bytes) {
        if (chunk.length - position < bytes) {
            full.add(position == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, position));
            chunk = new byte[Math.max(bytes, Math.min(MAX_CHUNK, chunk.length * 2))];
            position = 0;
        }
    }

    @Override
    public void write(int b) {
        room(1);
        chunk[position++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (position == chunk.length) {
                room(1);
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(b, off, chunk, position, n);
            position += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    @Override
    public void writeBoolean(boolean v) {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) {
        write(v);
    }

    @Override
    public void writeShort(int v) {
        room(2);
        chunk[position] = (byte) (v >>> 8);
        chunk[position + 1] = (byte) v;
        position += 2;
        size += 2;
    }

    @Override
    public void writeChar(int v) {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) {
        room(4);
        byte[] c = chunk;
        int p = position;
        c[p] = (byte) (v >>> 24);
        c[p + 1] = (byte) (v >>> 16);
        c[p + 2] = (byte) (v >>> 8);
        c[p + 3] = (byte) v;
        position = p + 4;
        size += 4;
    }

    @Override
    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    @Override
    public void writeFloat(float v) {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            writeShort(s.charAt(i));
        }
    }

    /** Modified UTF-8 with a two-byte length, as {@link java.io.DataOutputStream#writeUTF}. */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        int n = s.length();
        long length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                length += c >= 0x800 ? 2 : 1;
            }
        }
        if (length > 65_535) {
            throw new UTFDataFormatException("encoded string too long: " + length + " bytes");
        }
        writeShort((int) length);
        room((int) length);
        byte[] c = chunk;
        int p = position;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch != 0 && ch < 0x80) {
                c[p++] = (byte) ch;
            } else if (ch >= 0x800) {
                c[p++] = (byte) (0xE0 | ((ch >> 12) & 0x0F));
                c[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                c[p++] = (byte) (0x80 | (ch & 0x3F));
            } else {
                c[p++] = (byte) (0xC0 | ((ch >> 6) & 0x1F));
                c[p++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
        position = p;
        size += length;
    }
}
