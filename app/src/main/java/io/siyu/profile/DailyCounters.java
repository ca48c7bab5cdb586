package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-day event counts of one person, sparse: one (day, event) key and one count per day on which
 * that event happened, sorted by key. Windowed questions ("orders in the last 30 days") sum a
 * slice. Days older than the retention are dropped as new days arrive.
 */
public final class DailyCounters extends SortedCounts {

    /** Event names past this id share the last slot; the dictionary of a tenant rarely grows so far. */
    public static final int MAX_EVENT_IDS = 1024;
    public static final int RETENTION_DAYS = 400;


    public void add(int epochDay, int eventId, int delta) {
        add(key(epochDay, eventId), delta);
        dropBelow((epochDay - RETENTION_DAYS) * MAX_EVENT_IDS);
    }

    /** Sum of counts of {@code eventId} (or of all events when -1) over days {@code [fromDay, toDay]}. */
    public int sum(int eventId, int fromDay, int toDay) {
        int total = 0;
        int end = key(toDay, MAX_EVENT_IDS - 1);
        for (int i = firstAtOrAbove(key(fromDay, 0)); i < size() && keyAt(i) <= end; i++) {
            if (eventId < 0 || keyAt(i) % MAX_EVENT_IDS == slot(eventId)) {
                total += countAt(i);
            }
        }
        return total;
    }

    /** Number of distinct days with any event in {@code [fromDay, toDay]}. */
    public int activeDays(int fromDay, int toDay) {
        int days = 0;
        int lastDay = Integer.MIN_VALUE;
        for (int i = 0; i < size(); i++) {
            int day = keyAt(i) / MAX_EVENT_IDS;
            if (day >= fromDay && day <= toDay && day != lastDay) {
                days++;
                lastDay = day;
            }
        }
        return days;
    }

    public void absorb(DailyCounters other) {
        for (int i = 0; i < other.size(); i++) {
            int key = other.keyAt(i);
            add(key / MAX_EVENT_IDS, key % MAX_EVENT_IDS, other.countAt(i));
        }
    }

    private static int key(int epochDay, int eventId) {
        return epochDay * MAX_EVENT_IDS + slot(eventId);
    }

    private static int slot(int eventId) {
        return Math.min(eventId, MAX_EVENT_IDS - 1);
    }

    void write(DataOutput out) throws IOException {
        writeCounts(out);
    }

    static DailyCounters read(DataInput in) throws IOException {
        DailyCounters counters = new DailyCounters();
        counters.readCounts(in);
        return counters;
    }
}
