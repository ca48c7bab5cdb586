package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-day event counts of one person, sparse: one (day, event) key and one count per day on which
 * that event happened, sorted by key. Windowed questions ("orders in the last 30 days") sum a
 * slice. Days older than the retention are dropped as new days arrive.
 */
public final class DailyCounters {

    /** Event names past this id share the last slot; the dictionary of a tenant rarely grows so far. */
    public static final int MAX_EVENT_IDS = 1024;
    public static final int RETENTION_DAYS = 400;

    private static final int[] EMPTY = {};
    private int[] keys = EMPTY;
    private int[] counts = EMPTY;
    private int size;

    public void add(int epochDay, int eventId, int delta) {
        int key = key(epochDay, eventId);
        int i = Arrays.binarySearch(keys, 0, size, key);
        if (i >= 0) {
            counts[i] += delta;
            return;
        }
        int at = -i - 1;
        if (size == keys.length) {
            int capacity = size < 32 ? size + 4 : size + (size >> 1); // small arrays grow by 4: slack costs heap per person
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        keys[at] = key;
        counts[at] = delta;
        size++;
        int oldest = (epochDay - RETENTION_DAYS) * MAX_EVENT_IDS;
        if (keys[0] < oldest) {
            dropBefore(oldest);
        }
    }

    /** Sum of counts of {@code eventId} (or of all events when -1) over days {@code [fromDay, toDay]}. */
    public int sum(int eventId, int fromDay, int toDay) {
        int from = Arrays.binarySearch(keys, 0, size, key(fromDay, 0));
        int start = from >= 0 ? from : -from - 1;
        int total = 0;
        int end = key(toDay, MAX_EVENT_IDS - 1);
        for (int i = start; i < size && keys[i] <= end; i++) {
            if (eventId < 0 || keys[i] % MAX_EVENT_IDS == slot(eventId)) {
                total += counts[i];
            }
        }
        return total;
    }

    /** Number of distinct days with any event in {@code [fromDay, toDay]}. */
    public int activeDays(int fromDay, int toDay) {
        int days = 0;
        int lastDay = Integer.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            int day = keys[i] / MAX_EVENT_IDS;
            if (day >= fromDay && day <= toDay && day != lastDay) {
                days++;
                lastDay = day;
            }
        }
        return days;
    }

    public int size() {
        return size;
    }

    public void absorb(DailyCounters other) {
        for (int i = 0; i < other.size; i++) {
            add(other.keys[i] / MAX_EVENT_IDS, other.keys[i] % MAX_EVENT_IDS, other.counts[i]);
        }
    }

    private void dropBefore(int oldestKey) {
        int cut = 0;
        while (cut < size && keys[cut] < oldestKey) {
            cut++;
        }
        System.arraycopy(keys, cut, keys, 0, size - cut);
        System.arraycopy(counts, cut, counts, 0, size - cut);
        size -= cut;
    }

    private static int key(int epochDay, int eventId) {
        return epochDay * MAX_EVENT_IDS + slot(eventId);
    }

    private static int slot(int eventId) {
        return Math.min(eventId, MAX_EVENT_IDS - 1);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeInt(keys[i]);
            out.writeInt(counts[i]);
        }
    }

    static DailyCounters read(DataInput in) throws IOException {
        DailyCounters counters = new DailyCounters();
        int n = in.readInt();
        if (n > 0) {
            counters.keys = new int[n];
            counters.counts = new int[n];
            for (int i = 0; i < n; i++) {
                counters.keys[i] = in.readInt();
                counters.counts[i] = in.readInt();
            }
            counters.size = n;
        }
        return counters;
    }
}
