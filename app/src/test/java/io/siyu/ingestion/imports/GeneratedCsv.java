package io.siyu.ingestion.imports;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A CSV body made up row by row as it is read, so that a test can send a file of any size without
 * holding it, and can act (check the server) at a given row while the server waits for the rest.
 */
final class GeneratedCsv extends InputStream {

    private final int rows;
    private final String header;
    private final IntFunction<String> row;
    private final int pauseAt;
    private final Runnable atPause;
    private byte[] current = new byte[0];
    private int position;
    private int next = -1;

    GeneratedCsv(int rows, String header, IntFunction<String> row, int pauseAt, Runnable atPause) {
        this.rows = rows;
        this.header = header;
        this.row = row;
        this.pauseAt = pauseAt;
        this.atPause = atPause;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        while (position == current.length) {
            if (next == rows) {
                return -1;
            }
            if (next == pauseAt) {
                atPause.run();
            }
            current = (next < 0 ? header : row.apply(next)).getBytes(StandardCharsets.UTF_8);
            position = 0;
            next++;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }
}
