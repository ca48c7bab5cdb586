package io.siyu.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One {@link String} per distinct ASCII value of the fields that repeat across the log (event
 * names, categories, channels, sources), for a replay's decoder. A replay decodes millions of
 * events carrying a few hundred such values: this saves a string per field, and the apply side
 * finds the same instance, hash already computed, in its dictionaries ({@code String.equals} is
 * then an identity check). Bounded: once full, values are decoded as before. One table per
 * decoding thread; it is not thread-safe.
 */
final class StringTable {

    /** Entries kept at most. */
    static final int CAPACITY = 4_096;
    /** Longer values are not kept: long texts rarely repeat and comparing them costs more than a copy. */
    static final int MAX_LENGTH = 64;

    /**
     * Slots, at least twice the entries; few at first, since many replays are short (a journey's
     * catch-up, a tenant's export).
     */
    private byte[][] keys = new byte[64][];
    private String[] values = new String[64];
    private int size;

    /** The string of the ASCII bytes {@code bytes[at, at + length)}. */
    String ascii(byte[] bytes, int at, int length) {
        if (length > MAX_LENGTH) {
            return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
        }
        int h = hash(bytes, at, length);
        int mask = keys.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            byte[] key = keys[slot];
            if (key == null) {
                String value = new String(bytes, at, length, StandardCharsets.ISO_8859_1);
                if (size < CAPACITY) {
                    keys[slot] = Arrays.copyOfRange(bytes, at, at + length);
                    values[slot] = value;
                    size++;
                    value.hashCode(); // computed here, on the decoding thread, not where it is looked up
                    if (size * 2 > keys.length) {
                        grow();
                    }
                }
                return value;
            }
            if (key.length == length && Arrays.equals(key, 0, length, bytes, at, at + length)) {
                return values[slot];
            }
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        keys = new byte[oldKeys.length * 2][];
        values = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            byte[] key = oldKeys[i];
            if (key != null) {
                int slot = hash(key, 0, key.length) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                values[slot] = oldValues[i];
            }
        }
    }

    private static int hash(byte[] bytes, int at, int length) {
        int h = length;
        for (int i = at; i < at + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }

    int size() {
        return size;
    }
}
