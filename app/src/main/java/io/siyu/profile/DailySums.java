package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Sparse per-day money of one person, keyed by (day, event), with long values in fen. Sorted by
 * key, so a window is a contiguous slice.
 */
public final class DailySums {

    private static final long[] NO_KEYS = {};
    private long[] keys = NO_KEYS;
    private long[] values = NO_KEYS;
    private int size;

    /** Key for (day, event): windows over one event are contiguous. */
    public static long key(int epochDay, int eventId) {
        return ((long) epochDay << 40) | ((long) eventId << 20);
    }

    public void add(long key, long delta) {
        int i = Arrays.binarySearch(keys, 0, size, key);
        if (i >= 0) {
            values[i] += delta;
            return;
        }
        int at = -i - 1;
        if (size == keys.length) {
            int capacity = Math.max(4, size + (size >> 1) + 1);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        keys[at] = key;
        values[at] = delta;
        size++;
        long oldest = (long) (int) (key >>> 40) - DailyCounters.RETENTION_DAYS << 40;
        if (keys[0] < oldest) {
            int cut = 0;
            while (cut < size && keys[cut] < oldest) {
                cut++;
            }
            System.arraycopy(keys, cut, keys, 0, size - cut);
            System.arraycopy(values, cut, values, 0, size - cut);
            size -= cut;
        }
    }

    /**
     * Sum over days {@code [fromDay, toDay]} of one event (pass {@code facetId} -1).
     */
    public long sum(int eventId, int facetId, int fromDay, int toDay) {
        long from = (long) fromDay << 40;
        int i = Arrays.binarySearch(keys, 0, size, from);
        int start = i >= 0 ? i : -i - 1;
        long total = 0;
        for (int k = start; k < size; k++) {
            long key = keys[k];
            if ((int) (key >>> 40) > toDay) {
                break;
            }
            if ((int) (key >>> 20 & 0xFFFFF) == eventId && (facetId < 0 || (int) (key & 0xFFFFF) == facetId)) {
                total += values[k];
            }
        }
        return total;
    }

    public int size() {
        return size;
    }

    void absorb(DailySums other) {
        for (int i = 0; i < other.size; i++) {
            add(other.keys[i], other.values[i]);
        }
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(keys[i]);
            out.writeLong(values[i]);
        }
    }

    static DailySums read(DataInput in) throws IOException {
        DailySums sums = new DailySums();
        int n = in.readInt();
        if (n > 0) {
            sums.keys = new long[n];
            sums.values = new long[n];
            for (int i = 0; i < n; i++) {
                sums.keys[i] = in.readLong();
                sums.values[i] = in.readLong();
            }
            sums.size = n;
        }
        return sums;
    }
}
