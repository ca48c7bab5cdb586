package io.siyu.compliance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One detector's per-person sliding windows. A person fires at most once per window length, so a
 * burst raises one case, not one per event. Runs on the partition thread only.
 */
abstract sealed class Watch {

    final Detector detector;

    Watch(Detector detector) {
        this.detector = detector;
    }

    static Watch of(Detector detector) {
        return switch (detector.kind()) {
            case COUNT -> new CountWatch(detector);
            case IN_OUT -> new FlowWatch(detector);
        };
    }

    /** Takes the event into the person's window; answers the evidence when the detector fires. */
    abstract @Nullable String observe(int person, String eventName, long timestamp, long amountFen);

    /** Drops windows whose newest entry is older than the window: nothing in them can fire again. */
    abstract void expire(long now);

    abstract void merged(int from, int into);

    abstract void writeState(DataOutput out) throws IOException;

    abstract void readState(DataInput in) throws IOException;

    abstract int people();

    /**
     * "More than N events in the window": keeps each person's newest N+1 timestamps in a ring; it
     * fires when the ring is full and its oldest entry is still inside the window.
     */
    static final class CountWatch extends Watch {

        private static final class Ring {
            final long[] times;
            int next;
            int size;
            long quietUntil = Long.MIN_VALUE;

            Ring(int capacity) {
                times = new long[capacity];
            }

            void add(long t) {
                times[next] = t;
                next = (next + 1) % times.length;
                size = Math.min(size + 1, times.length);
            }

            long oldest() {
                return size < times.length ? times[0] : times[next];
            }

            long newest() {
                return times[(next - 1 + times.length) % times.length];
            }
        }

        private final Map<Integer, Ring> rings = new HashMap<>();
        private final int capacity;

        CountWatch(Detector detector) {
            super(detector);
            capacity = (int) detector.threshold() + 1;
        }

        @Override
        @Nullable String observe(int person, String eventName, long timestamp, long amountFen) {
            Ring ring = rings.computeIfAbsent(person, p -> new Ring(capacity));
            ring.add(timestamp);
            long window = detector.windowMillis();
            if (ring.size == capacity && ring.oldest() > timestamp - window && timestamp >= ring.quietUntil) {
                ring.quietUntil = timestamp + window;
                return capacity + " × " + detector.event() + " within " + detector.window();
            }
            return null;
        }

        @Override
        void expire(long now) {
            long window = detector.windowMillis();
            rings.values().removeIf(ring -> ring.newest() <= now - window && ring.quietUntil <= now);
        }

        @Override
        void merged(int from, int into) {
            Ring gone = rings.remove(from);
            if (gone == null) {
                return;
            }
            Ring kept = rings.computeIfAbsent(into, p -> new Ring(capacity));
            long[] all = new long[gone.size + kept.size];
            int n = 0;
            for (Ring ring : new Ring[] {kept, gone}) {
                for (int i = 0; i < ring.size; i++) {
                    all[n++] = ring.times[i];
                }
            }
            Arrays.sort(all);
            Ring merged = new Ring(capacity);
            for (int i = Math.max(0, all.length - capacity); i < all.length; i++) {
                merged.add(all[i]);
            }
            merged.quietUntil = Math.max(kept.quietUntil, gone.quietUntil);
            rings.put(into, merged);
        }

        @Override
        int people() {
            return rings.size();
        }

        @Override
        void writeState(DataOutput out) throws IOException {
            out.writeInt(rings.size());
            for (var entry : rings.entrySet()) {
                Ring ring = entry.getValue();
                out.writeInt(entry.getKey());
                out.writeLong(ring.quietUntil);
                out.writeInt(ring.size);
                for (int i = ring.size; i > 0; i--) { // oldest first
                    out.writeLong(ring.times[(ring.next - i + capacity) % capacity]);
                }
            }
        }

        @Override
        void readState(DataInput in) throws IOException {
            for (int n = in.readInt(); n > 0; n--) {
                Ring ring = new Ring(capacity);
                int person = in.readInt();
                ring.quietUntil = in.readLong();
                for (int i = in.readInt(); i > 0; i--) {
                    ring.add(in.readLong());
                }
                rings.put(person, ring);
            }
        }
    }

    /**
     * "Large amount in and out within the window": keeps each person's money movements of the
     * window (at most {@value #MAX_ENTRIES}, oldest dropped first) and fires when both the sum in
     * and the sum out reach the threshold.
     */
    static final class FlowWatch extends Watch {

        static final int MAX_ENTRIES = 1_024;

        private static final class Flow {
            long[] times = new long[4];
            long[] amounts = new long[4]; // positive in, negative out
            int size;
            long quietUntil = Long.MIN_VALUE;

            void add(long t, long amount) {
                if (size == MAX_ENTRIES) {
                    dropOldest(1);
                }
                if (size == times.length) {
                    times = Arrays.copyOf(times, size * 2);
                    amounts = Arrays.copyOf(amounts, size * 2);
                }
                times[size] = t;
                amounts[size++] = amount;
            }

            void expire(long before) {
                int stale = 0;
                while (stale < size && times[stale] <= before) {
                    stale++;
                }
                dropOldest(stale);
            }

            void dropOldest(int n) {
                System.arraycopy(times, n, times, 0, size - n);
                System.arraycopy(amounts, n, amounts, 0, size - n);
                size -= n;
            }
        }

        private final Map<Integer, Flow> flows = new HashMap<>();

        FlowWatch(Detector detector) {
            super(detector);
        }

        @Override
        @Nullable String observe(int person, String eventName, long timestamp, long amountFen) {
            if (amountFen <= 0) {
                return null;
            }
            Flow flow = flows.computeIfAbsent(person, p -> new Flow());
            flow.add(timestamp, eventName.equals(detector.event()) ? amountFen : -amountFen);
            long window = detector.windowMillis();
            flow.expire(timestamp - window);
            long in = 0;
            long out = 0;
            for (int i = 0; i < flow.size; i++) {
                if (flow.amounts[i] > 0) {
                    in += flow.amounts[i];
                } else {
                    out -= flow.amounts[i];
                }
            }
            if (in >= detector.threshold() && out >= detector.threshold() && timestamp >= flow.quietUntil) {
                flow.quietUntil = timestamp + window;
                return "in " + yuan(in) + " / out " + yuan(out) + " CNY (" + detector.event() + " / " + detector.outEvent()
                        + ") within " + detector.window();
            }
            return null;
        }

        private static String yuan(long fen) {
            return java.math.BigDecimal.valueOf(fen, 2).toPlainString();
        }

        @Override
        void expire(long now) {
            long before = now - detector.windowMillis();
            for (Iterator<Flow> it = flows.values().iterator(); it.hasNext(); ) {
                Flow flow = it.next();
                flow.expire(before);
                if (flow.size == 0 && flow.quietUntil <= now) {
                    it.remove();
                }
            }
        }

        @Override
        void merged(int from, int into) {
            Flow gone = flows.remove(from);
            if (gone == null) {
                return;
            }
            Flow kept = flows.computeIfAbsent(into, p -> new Flow());
            for (int i = 0; i < gone.size; i++) {
                kept.add(gone.times[i], gone.amounts[i]);
            }
            kept.quietUntil = Math.max(kept.quietUntil, gone.quietUntil);
        }

        @Override
        int people() {
            return flows.size();
        }

        @Override
        void writeState(DataOutput out) throws IOException {
            out.writeInt(flows.size());
            for (var entry : flows.entrySet()) {
                Flow flow = entry.getValue();
                out.writeInt(entry.getKey());
                out.writeLong(flow.quietUntil);
                out.writeInt(flow.size);
                for (int i = 0; i < flow.size; i++) {
                    out.writeLong(flow.times[i]);
                    out.writeLong(flow.amounts[i]);
                }
            }
        }

        @Override
        void readState(DataInput in) throws IOException {
            for (int n = in.readInt(); n > 0; n--) {
                Flow flow = new Flow();
                int person = in.readInt();
                flow.quietUntil = in.readLong();
                for (int i = in.readInt(); i > 0; i--) {
                    flow.add(in.readLong(), in.readLong());
                }
                flows.put(person, flow);
            }
        }
    }
}
