package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-day event counts by a facet value (the product category) of one person, packed into one
 * int key per (day, event, facet) and an int count: 8 bytes an entry.
 *
 * <p>Key layout: 15 bits of day since 2020-01-01 (until 2109), 7 bits of event id, 10 bits of
 * facet id. Event ids past 126 and facet ids past 1022 share the last slot of their field; the
 * segment engine refuses filters that would read such a shared slot ({@link #fits}).
 */
public final class FacetCounters extends SortedCounts {

    /** 2020-01-01 as days since 1970-01-01. */
    static final int FIRST_DAY = 18_262;
    public static final int MAX_EVENT = 127;
    public static final int MAX_FACET = 1023;


    /** Whether an (event, facet) pair has a slot of its own. */
    public static boolean fits(int eventId, int facetId) {
        return eventId < MAX_EVENT && facetId < MAX_FACET;
    }

    public void add(int epochDay, int eventId, int facetId, int delta) {
        int day = epochDay - FIRST_DAY;
        if (day < 0 || day >= 1 << 15) {
            return; // outside the representable range: such old or future events are not windowed anyway
        }
        add(key(day, eventId, facetId), delta);
        dropBelow(Math.max(0, day - DailyCounters.RETENTION_DAYS) << 17);
    }

    /** Events {@code eventId} with facet {@code facetId} over days {@code [fromDay, toDay]}. */
    public long sum(int eventId, int facetId, int fromDay, int toDay) {
        int to = toDay - FIRST_DAY;
        int wanted = key(0, eventId, facetId);
        long total = 0;
        for (int i = firstAtOrAbove(Math.max(0, fromDay - FIRST_DAY) << 17); i < size(); i++) {
            int key = keyAt(i);
            if ((key >>> 17) > to) {
                break;
            }
            if ((key & 0x1FFFF) == wanted) {
                total += countAt(i);
            }
        }
        return total;
    }

    void absorb(FacetCounters other) {
        for (int i = 0; i < other.size(); i++) {
            int key = other.keyAt(i);
            add((key >>> 17) + FIRST_DAY, key >>> 10 & MAX_EVENT, key & MAX_FACET, other.countAt(i));
        }
    }

    private static int key(int day, int eventId, int facetId) {
        return day << 17 | Math.min(eventId, MAX_EVENT) << 10 | Math.min(facetId, MAX_FACET);
    }

    void write(DataOutput out) throws IOException {
        writeCounts(out);
    }

    static FacetCounters read(DataInput in) throws IOException {
        FacetCounters counters = new FacetCounters();
        counters.readCounts(in);
        return counters;
    }
}
