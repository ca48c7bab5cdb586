package io.siyu.ingestion.imports;

import io.siyu.platform.PayloadTooLarge;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails with {@link PayloadTooLarge} once more than {@code limit} bytes were read. Counting the
 * decompressed bytes is what stops a small gzip body from inflating without end.
 */
final class CappedInputStream extends FilterInputStream {

    private final long limit;
    private final String description;
    private long count;

    CappedInputStream(InputStream in, long limit, String description) {
        super(in);
        this.limit = limit;
        this.description = description;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw new PayloadTooLarge("body", limit, description);
        }
    }
}
