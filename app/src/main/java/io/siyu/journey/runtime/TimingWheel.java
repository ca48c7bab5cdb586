package io.siyu.journey.runtime;

import java.util.Arrays;

/**
 * A hierarchical timing wheel (Varghese and Lauck; the Linux and Kafka timer design): seven levels
 * of 64 slots, each level's slot spanning 64 of the level below, so scheduling is O(1), a timer is
 * two longs in a primitive array (no object per timer), and ten million pending timers cost about
 * 160 MB. Advancing jumps straight to the next occupied slot using one occupancy bit mask per
 * level, so moving a simulated clock forward by days costs the number of occupied slots, not ticks.
 *
 * <p>Timers fire in deadline order, never before their deadline and never later than the
 * {@link #advance} that passes it: a timer due within the current tick is held aside and checked
 * against the exact time on every advance.
 * Not thread-safe: one owner thread schedules and advances. Timers are not cancelled; the owner
 * ignores a stale one when it fires (the enrollment it named has moved on), which keeps scheduling
 * free of lookups.
 */
public final class TimingWheel {

    /** Told of each timer that became due, in deadline order. */
    @FunctionalInterface
    public interface Expiry {
        /** @param deadline the timer's deadline, epoch ms: the time its consequences happen at */
        void expired(long deadline, long payload);
    }

    private static final int BITS = 6;
    private static final int SLOTS = 1 << BITS;
    private static final int LEVELS = 7;
    /** Buckets larger than this give their array back once drained, so one burst does not pin memory. */
    private static final int KEEP_CAPACITY = 1_024;

    private final long tickMs;
    private final long[][] buckets = new long[LEVELS * SLOTS][];
    private final int[] sizes = new int[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    /** Every timer whose tick is at or below this has fired. */
    private long current;
    private long size;
    private long[] due = new long[16];
    private int dueSize;
    /** Timers of the current tick not yet due at {@link #now}. */
    private long[] held = new long[16];
    private int heldSize;
    /** The exact time of the last advance. */
    private long now;

    /**
     * @param tickMs resolution: a timer fires at most this long after its deadline
     * @param startMs the time the wheel starts at; deadlines at or before it are due at once
     */
    public TimingWheel(long tickMs, long startMs) {
        if (tickMs <= 0) {
            throw new IllegalArgumentException("tick must be positive, was " + tickMs);
        }
        this.tickMs = tickMs;
        this.current = Math.floorDiv(startMs, tickMs);
        this.now = startMs;
    }

    /** Pending timers, including those due but not yet handed out by {@link #advance}. */
    public long size() {
        return size;
    }

    /** The wheel's time: every timer with a deadline at or before it has fired. */
    public long time() {
        return now;
    }

    /** Adds a timer; a deadline in the past fires at the next {@link #advance}. */
    public void schedule(long deadlineMs, long payload) {
        size++;
        place(Math.floorDiv(deadlineMs, tickMs), deadlineMs, payload);
    }

    private void place(long tick, long deadlineMs, long payload) {
        if (tick < current || tick == current && deadlineMs <= now) {
            if (dueSize + 2 > due.length) {
                due = Arrays.copyOf(due, due.length * 2);
            }
            due[dueSize++] = deadlineMs;
            due[dueSize++] = payload;
            return;
        }
        if (tick == current) {
            if (heldSize + 2 > held.length) {
                held = Arrays.copyOf(held, held.length * 2);
            }
            held[heldSize++] = deadlineMs;
            held[heldSize++] = payload;
            return;
        }
        int level = Math.min(LEVELS - 1, (63 - Long.numberOfLeadingZeros(tick ^ current)) / BITS);
        int slot = (int) ((tick >>> (level * BITS)) & (SLOTS - 1));
        int bucket = level * SLOTS + slot;
        long[] entries = buckets[bucket];
        int n = sizes[bucket];
        if (entries == null) {
            entries = buckets[bucket] = new long[8];
        } else if (n + 2 > entries.length) {
            entries = buckets[bucket] = Arrays.copyOf(entries, entries.length * 2);
        }
        entries[n] = deadlineMs;
        entries[n + 1] = payload;
        sizes[bucket] = n + 2;
        occupied[level] |= 1L << slot;
    }

    /**
     * Moves the wheel to {@code nowMs}, handing every timer due by then to {@code expiry} in
     * deadline order. Timers that {@code expiry} schedules while this runs fire in the same call
     * when they are due by {@code nowMs}. Returns how many fired.
     */
    public long advance(long nowMs, Expiry expiry) {
        now = Math.max(now, nowMs);
        long target = Math.floorDiv(now, tickMs);
        release();
        long fired = fireDue(expiry);
        while (current < target) {
            long next = nextEventTick();
            current = next < 0 || next > target ? target : next;
            release();
            if (current == next) {
                cascadeAt(next);
            }
            fired += fireDue(expiry);
        }
        return fired;
    }

    /** Moves held timers that are now due (their tick passed, or their exact deadline) to the due list. */
    private void release() {
        if (heldSize == 0) {
            return;
        }
        long[] entries = held;
        int n = heldSize;
        held = new long[16];
        heldSize = 0;
        for (int i = 0; i < n; i += 2) {
            place(Math.floorDiv(entries[i], tickMs), entries[i], entries[i + 1]);
        }
    }

    /** The earliest tick at which a slot must be visited, or -1 when the wheel is empty. */
    private long nextEventTick() {
        for (int level = 0; level < LEVELS; level++) {
            long mask = occupied[level];
            if (mask == 0) {
                continue;
            }
            int shift = level * BITS;
            int slotNow = (int) ((current >>> shift) & (SLOTS - 1));
            long ahead = slotNow == SLOTS - 1 ? 0 : mask & (-1L << (slotNow + 1));
            if (ahead != 0) {
                int slot = Long.numberOfTrailingZeros(ahead);
                long rotation = level == LEVELS - 1 ? 0 : (current >>> (shift + BITS)) << (shift + BITS);
                return rotation | ((long) slot << shift);
            }
        }
        return -1;
    }

    /** Empties the slot that {@code tick} starts at the lowest occupied level, re-placing its timers. */
    private void cascadeAt(long tick) {
        for (int level = 0; level < LEVELS; level++) {
            int shift = level * BITS;
            int slot = (int) ((tick >>> shift) & (SLOTS - 1));
            if ((occupied[level] & (1L << slot)) == 0) {
                continue;
            }
            int bucket = level * SLOTS + slot;
            long[] entries = buckets[bucket];
            int n = sizes[bucket];
            sizes[bucket] = 0;
            occupied[level] &= ~(1L << slot);
            if (entries.length > KEEP_CAPACITY * 2) {
                buckets[bucket] = null;
            }
            for (int i = 0; i < n; i += 2) {
                place(Math.floorDiv(entries[i], tickMs), entries[i], entries[i + 1]);
            }
            return;
        }
    }

    private long fireDue(Expiry expiry) {
        long fired = 0;
        while (dueSize > 0) {
            long[] batch = due;
            int n = dueSize;
            due = new long[16];
            dueSize = 0;
            sortPairs(batch, n);
            for (int i = 0; i < n; i += 2) {
                size--;
                fired++;
                expiry.expired(batch[i], batch[i + 1]);
            }
        }
        return fired;
    }

    /** Sorts (deadline, payload) pairs by deadline, stable, without boxing. */
    private static void sortPairs(long[] pairs, int n) {
        int count = n / 2;
        boolean sorted = true;
        for (int i = 2; i < n && sorted; i += 2) {
            sorted = pairs[i - 2] <= pairs[i];
        }
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        long[] copy = Arrays.copyOf(pairs, n);
        Arrays.sort(order, (a, b) -> Long.compare(copy[a * 2], copy[b * 2]));
        for (int i = 0; i < count; i++) {
            pairs[i * 2] = copy[order[i] * 2];
            pairs[i * 2 + 1] = copy[order[i] * 2 + 1];
        }
    }
}
