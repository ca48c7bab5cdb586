package io.siyu.privacy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The audit writer's inbox: a bounded ring of entries, many producers (request threads), one
 * consumer (the writer). An entry is written into preallocated slots (a tenant and four strings),
 * so a read costs no object of its own and no lock: a producer claims a slot with a CAS on the tail,
 * fills it and publishes it with a release store; the writer takes published slots in claim order
 * and frees them by moving the head. With a lock-based queue, the writer's drain held the lock while
 * it moved thousands of entries and every reader arriving meanwhile parked (a futex sleep and wake
 * per read on a busy machine).
 */
final class AuditRing {

    static final int NO_TENANT = Integer.MIN_VALUE;
    private static final VarHandle PUBLISHED = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final int mask;
    private final int[] tenants;
    private final String[] actors;
    private final String[] actions;
    private final String[] subjects;
    private final String[] details;
    private final @Nullable Object[] extras;
    /** Slot i holds entry number s once {@code published[i] == s + 1}. */
    private final long[] published;
    private final AtomicLong tail = new AtomicLong();
    private volatile long head;

    AuditRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        tenants = new int[capacity];
        actors = new String[capacity];
        actions = new String[capacity];
        subjects = new String[capacity];
        details = new String[capacity];
        extras = new Object[capacity];
        published = new long[capacity];
    }

    /**
     * Adds an entry, waiting up to {@code timeoutNanos} for room.
     *
     * @param extra null for a read; what the writer needs to know about anything else
     * @return false when there was no room within the timeout (nothing was added)
     */
    boolean offer(int tenant, String actor, String action, String subject, String detail, @Nullable Object extra,
            long timeoutNanos) throws InterruptedException {
        long t;
        long deadline = 0;
        while (true) {
            t = tail.get();
            if (t - head < capacity) {
                if (tail.compareAndSet(t, t + 1)) {
                    break;
                }
                continue;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + timeoutNanos;
            } else if (now - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(this, 100_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        int i = (int) t & mask;
        tenants[i] = tenant;
        actors[i] = actor;
        actions[i] = action;
        subjects[i] = subject;
        details[i] = detail;
        extras[i] = extra;
        PUBLISHED.setRelease(published, i, t + 1);
        return true;
    }

    /** Moves up to {@code max} published entries, oldest first, into {@code batch}; the writer thread only. */
    int drainTo(Batch batch, int max) {
        long h = head;
        int n = 0;
        while (n < max) {
            int i = (int) h & mask;
            if ((long) PUBLISHED.getAcquire(published, i) != h + 1) {
                break; // not yet published (or nothing claimed): the rest waits for the next group
            }
            batch.add(tenants[i], actors[i], actions[i], subjects[i], details[i], extras[i]);
            actors[i] = null;
            actions[i] = null;
            subjects[i] = null;
            details[i] = null;
            extras[i] = null;
            h++;
            n++;
        }
        head = h; // frees the slots for the producers
        return n;
    }

    /** Whether nothing was claimed that the writer has not taken. */
    boolean isEmpty() {
        return tail.get() == head;
    }

    /** The writer's group, column by column; reused from group to group. */
    static final class Batch {
        int size;
        final int[] tenant;
        final String[] actor;
        final String[] action;
        final String[] subject;
        final String[] detail;
        final @Nullable Object[] extra;
        final long[] seq;

        Batch(int capacity) {
            tenant = new int[capacity];
            actor = new String[capacity];
            action = new String[capacity];
            subject = new String[capacity];
            detail = new String[capacity];
            extra = new Object[capacity];
            seq = new long[capacity];
        }

        private void add(int tenant, String actor, String action, String subject, String detail, @Nullable Object extra) {
            int i = size++;
            this.tenant[i] = tenant;
            this.actor[i] = actor;
            this.action[i] = action;
            this.subject[i] = subject;
            this.detail[i] = detail;
            this.extra[i] = extra;
            this.seq[i] = 0;
        }

        /** Forgets the group (and its references). */
        void clear() {
            java.util.Arrays.fill(actor, 0, size, null);
            java.util.Arrays.fill(action, 0, size, null);
            java.util.Arrays.fill(subject, 0, size, null);
            java.util.Arrays.fill(detail, 0, size, null);
            java.util.Arrays.fill(extra, 0, size, null);
            size = 0;
        }
    }
}
