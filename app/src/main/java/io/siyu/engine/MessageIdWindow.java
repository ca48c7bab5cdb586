package io.siyu.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remembers the message ids of the last {@value #DAYS} days of received events, so a client that
 * retries a message (as the Segment libraries do after a timeout) has it applied once. Ids are kept
 * as 64-bit hashes in one open-addressing set per day; a false "seen" needs two ids colliding on
 * 64 bits within a week, and old days are dropped whole, so memory follows the ingest rate.
 */
final class MessageIdWindow {

    static final int DAYS = 7;
    private static final long DAY_MS = 86_400_000L;

    private final long[] days = new long[DAYS];
    private final LongSet[] sets = new LongSet[DAYS];

    MessageIdWindow() {
        Arrays.fill(days, Long.MIN_VALUE);
    }

    /** @return true the first time this id is seen within the window */
    boolean firstTime(String messageId, long receivedAt) {
        long hash = hash(messageId);
        long day = Math.floorDiv(receivedAt, DAY_MS);
        for (int i = 0; i < DAYS; i++) {
            if (sets[i] != null && days[i] > day - DAYS && sets[i].contains(hash)) {
                return false;
            }
        }
        int slot = (int) Math.floorMod(day, DAYS);
        if (days[slot] != day) {
            if (days[slot] > day) {
                return true; // older than the window: too old to dedupe, accept
            }
            days[slot] = day;
            sets[slot] = new LongSet();
        }
        sets[slot].add(hash);
        return true;
    }

    int size() {
        int n = 0;
        for (LongSet set : sets) {
            n += set == null ? 0 : set.size;
        }
        return n;
    }

    /** FNV-1a over the UTF-8 bytes, then a mix; ASCII ids (UUIDs, most clients') are hashed without encoding them. */
    static long hash(String s) {
        int n = s.length();
        long h = 0xcbf2_9ce4_8422_2325L ^ n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return hashUtf8(s);
            }
            h ^= c;
            h *= 0x0100_0000_01b3L;
        }
        return mix(h);
    }

    private static long hashUtf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf2_9ce4_8422_2325L ^ bytes.length;
        for (byte b : bytes) {
            h ^= b;
            h *= 0x0100_0000_01b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A copy to write later from another thread while this window goes on taking ids (about 16 bytes per id held). */
    MessageIdWindow copy() {
        MessageIdWindow copy = new MessageIdWindow();
        System.arraycopy(days, 0, copy.days, 0, DAYS);
        for (int i = 0; i < DAYS; i++) {
            if (sets[i] != null) {
                copy.sets[i] = sets[i].copy();
            }
        }
        return copy;
    }

    void write(DataOutput out) throws IOException {
        for (int i = 0; i < DAYS; i++) {
            out.writeLong(days[i]);
            LongSet set = sets[i];
            out.writeInt(set == null ? -1 : set.size);
            if (set != null) {
                for (long v : set.slots) {
                    if (v != 0) {
                        out.writeLong(v);
                    }
                }
            }
        }
    }

    static MessageIdWindow read(DataInput in) throws IOException {
        MessageIdWindow window = new MessageIdWindow();
        for (int i = 0; i < DAYS; i++) {
            window.days[i] = in.readLong();
            int n = in.readInt();
            if (n >= 0) {
                LongSet set = new LongSet();
                for (int j = 0; j < n; j++) {
                    set.add(in.readLong());
                }
                window.sets[i] = set;
            }
        }
        return window;
    }

    /** Open-addressing set of non-zero longs. */
    private static final class LongSet {
        long[] slots = new long[1 << 10];
        int size;

        LongSet copy() {
            LongSet copy = new LongSet();
            copy.slots = slots.clone();
            copy.size = size;
            return copy;
        }

        boolean contains(long v) {
            long key = v == 0 ? 1 : v;
            int mask = slots.length - 1;
            for (int i = (int) key & mask; ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    return false;
                }
                if (slots[i] == key) {
                    return true;
                }
            }
        }

        void add(long v) {
            long key = v == 0 ? 1 : v;
            if ((size + 1) * 2 > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                size = 0;
                for (long o : old) {
                    if (o != 0) {
                        add(o);
                    }
                }
            }
            int mask = slots.length - 1;
            for (int i = (int) key & mask; ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    slots[i] = key;
                    size++;
                    return;
                }
                if (slots[i] == key) {
                    return;
                }
            }
        }
    }
}
