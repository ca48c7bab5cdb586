package io.siyu.compliance.lexicon;

/**
 * A reusable buffer holding a normalised text and, for each of its units, the index of the unit
 * of the original text it came from, so findings can be reported in original offsets. Not
 * thread-safe: one per thread or per call.
 */
public final class NormalisedText {

    private char[] source;
    private char[] chars;
    private int[] origins;
    private int length;
    private int originalLength;

    public NormalisedText(int capacity) {
        chars = new char[Math.max(16, capacity)];
        source = new char[chars.length];
        origins = new int[chars.length];
    }

    void ensureCapacity(int capacity) {
        if (chars.length < capacity) {
            chars = new char[capacity];
            source = new char[capacity];
            origins = new int[capacity];
        }
    }

    void length(int length, int originalLength) {
        this.length = length;
        this.originalLength = originalLength;
    }

    char[] source() {
        return source;
    }

    public char[] chars() {
        return chars;
    }

    int[] origins() {
        return origins;
    }

    public int length() {
        return length;
    }

    /** Start offset in the original text of the normalised unit at {@code index}. */
    public int originalStart(int index) {
        return origins[index];
    }

    /** Exclusive end offset in the original text of a match whose last normalised unit is {@code lastIndex}. */
    public int originalEnd(int lastIndex) {
        return origins[lastIndex] + 1;
    }

    public int originalLength() {
        return originalLength;
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
