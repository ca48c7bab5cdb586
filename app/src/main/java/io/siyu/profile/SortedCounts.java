package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A sparse map from int key to int count, kept as two sorted parallel arrays: 8 bytes an entry and
 * no objects, because every person has a few of these. Small arrays grow by 4 entries, since slack
 * multiplied by tens of millions of people is real heap. A base class rather than a field for the
 * same reason: one object per counter, not two.
 */
abstract sealed class SortedCounts permits DailyCounters, FacetCounters {

    private static final int[] EMPTY = {};
    private int[] keys = EMPTY;
    private int[] counts = EMPTY;
    private int size;

    void add(int key, int delta) {
        int i = Arrays.binarySearch(keys, 0, size, key);
        if (i >= 0) {
            counts[i] += delta;
            return;
        }
        int at = -i - 1;
        if (size == keys.length) {
            int capacity = size < 32 ? size + 4 : size + (size >> 1);
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        keys[at] = key;
        counts[at] = delta;
        size++;
    }

    /** Forgets every entry whose key is below {@code key}. */
    void dropBelow(int key) {
        if (size == 0 || keys[0] >= key) {
            return;
        }
        int cut = 0;
        while (cut < size && keys[cut] < key) {
            cut++;
        }
        System.arraycopy(keys, cut, keys, 0, size - cut);
        System.arraycopy(counts, cut, counts, 0, size - cut);
        size -= cut;
    }

    /** Index of the first entry with a key at or above {@code key}. */
    int firstAtOrAbove(int key) {
        int i = Arrays.binarySearch(keys, 0, size, key);
        return i >= 0 ? i : -i - 1;
    }

    public int size() {
        return size;
    }

    int keyAt(int i) {
        return keys[i];
    }

    int countAt(int i) {
        return counts[i];
    }

    void writeCounts(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeInt(keys[i]);
            out.writeInt(counts[i]);
        }
    }

    /** Fills this (empty) instance from {@link #writeCounts}. */
    void readCounts(DataInput in) throws IOException {
        SortedCounts sorted = this;
        int n = in.readInt();
        if (n > 0) {
            sorted.keys = new int[n];
            sorted.counts = new int[n];
            for (int i = 0; i < n; i++) {
                sorted.keys[i] = in.readInt();
                sorted.counts[i] = in.readInt();
            }
            sorted.size = n;
        }
    }
}
