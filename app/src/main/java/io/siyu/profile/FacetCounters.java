package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-day event counts by a facet value (the product category) of one person, packed into one
 * int key per (day, event, facet) and an int count, because there is one of these per person and
 * tens of millions of people: 8 bytes an entry.
 *
 * <p>Key layout: 15 bits of day since 2020-01-01 (until 2109), 7 bits of event id, 10 bits of
 * facet id. Event ids past 127 and facet ids past 1023 share the last slot of their field; the
 * segment engine refuses filters that would read such a shared slot.
 */
public final class FacetCounters {

    /** 2020-01-01 as days since 1970-01-01. */
    static final int FIRST_DAY = 18_262;
    public static final int MAX_EVENT = 127;
    public static final int MAX_FACET = 1023;

    private static final int[] EMPTY = {};
    private int[] keys = EMPTY;
    private int[] counts = EMPTY;
    private int size;

    public static boolean fits(int eventId, int facetId) {
        return eventId < MAX_EVENT && facetId < MAX_FACET;
    }

    public void add(int epochDay, int eventId, int facetId, int delta) {
        int day = epochDay - FIRST_DAY;
        if (day < 0 || day >= 1 << 15) {
            return; // outside the representable range: such old or future events are not windowed anyway
        }
        int key = key(day, eventId, facetId);
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
        int oldest = (day - DailyCounters.RETENTION_DAYS) << 17;
        if (keys[0] < oldest) {
            int cut = 0;
            while (cut < size && keys[cut] < oldest) {
                cut++;
            }
            System.arraycopy(keys, cut, keys, 0, size - cut);
            System.arraycopy(counts, cut, counts, 0, size - cut);
            size -= cut;
        }
    }

    /** Events {@code eventId} with facet {@code facetId} over days {@code [fromDay, toDay]}. */
    public long sum(int eventId, int facetId, int fromDay, int toDay) {
        int from = Math.max(0, fromDay - FIRST_DAY);
        int to = toDay - FIRST_DAY;
        int i = Arrays.binarySearch(keys, 0, size, from << 17);
        int start = i >= 0 ? i : -i - 1;
        int wanted = (Math.min(eventId, MAX_EVENT) << 10) | Math.min(facetId, MAX_FACET);
        long total = 0;
        for (int k = start; k < size; k++) {
            int key = keys[k];
            if ((key >>> 17) > to) {
                break;
            }
            if ((key & 0x1FFFF) == wanted) {
                total += counts[k];
            }
        }
        return total;
    }

    public int size() {
        return size;
    }

    void absorb(FacetCounters other) {
        for (int i = 0; i < other.size; i++) {
            int key = other.keys[i];
            add((key >>> 17) + FIRST_DAY, key >>> 10 & MAX_EVENT, key & MAX_FACET, other.counts[i]);
        }
    }

    private static int key(int day, int eventId, int facetId) {
        return day << 17 | Math.min(eventId, MAX_EVENT) << 10 | Math.min(facetId, MAX_FACET);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeInt(keys[i]);
            out.writeInt(counts[i]);
        }
    }

    static FacetCounters read(DataInput in) throws IOException {
        FacetCounters counters = new FacetCounters();
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
