package io.siyu.identity;

import java.util.Arrays;

/**
 * Open-addressing map from identifier to person index: no boxing and no entry objects, because
 * there are a few of these per person and tens of millions of people.
 */
final class IdentifierIndex {

    private Identifier[] keys = new Identifier[1 << 12];
    private int[] values = new int[1 << 12];
    private int size;

    int size() {
        return size;
    }

    int get(Identifier key) {
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (true) {
            Identifier k = keys[slot];
            if (k == null) {
                return -1;
            }
            if (k.type() == key.type() && k.value().equals(key.value())) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    void put(Identifier key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (true) {
            Identifier k = keys[slot];
            if (k == null) {
                keys[slot] = key;
                values[slot] = value;
                size++;
                return;
            }
            if (k.type() == key.type() && k.value().equals(key.value())) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        Identifier[] oldKeys = keys;
        int[] oldValues = values;
        keys = new Identifier[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, 0);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(Identifier key) {
        int h = key.value().hashCode() * 31 + key.type().ordinal();
        return h ^ (h >>> 16) ^ (h >>> 7);
    }
}
