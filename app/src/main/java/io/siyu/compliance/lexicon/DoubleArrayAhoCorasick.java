package io.siyu.compliance.lexicon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton whose goto function is a double array: the child of state {@code s} on
 * character code {@code c} is {@code t = base[s] + c} when {@code check[t] == s}. Matching is one
 * table lookup, two reads from one cache line and a compare per character plus the amortised
 * failure steps, over one flat {@code int[]} — no objects, no hashing, no boxing on the hot path.
 *
 * <p>Characters are first mapped to dense codes (1..alphabet) so the arrays stay small; a
 * character outside every key has code 0 and sends the automaton back to the root.
 *
 * <p>Immutable once built and safe to share between threads; build a new one to change the keys.
 */
public final class DoubleArrayAhoCorasick {

    private static final int FREE = -1;

    // One state's four fields share a 16-byte cell, so following a transition touches one cache
    // line: cells[4s] = base, cells[4s+1] = check (the parent, FREE when unused), cells[4s+2] =
    // failure state, cells[4s+3] = start of the state's -1-terminated output list in outputs, or -1.
    private static final int BASE = 0, CHECK = 1, FAIL = 2, OUT = 3;

    private final char[] codes; // char -> code, 0 = not in any key
    private final int[] cells;
    private final int[] outputs;
    private final int states;

    private DoubleArrayAhoCorasick(char[] codes, int[] base, int[] check, int[] fail, int[] outputStart, int[] outputs,
            int states) {
        this.codes = codes;
        this.cells = new int[base.length * 4];
        for (int s = 0; s < base.length; s++) {
            cells[4 * s + BASE] = base[s];
            cells[4 * s + CHECK] = check[s];
            cells[4 * s + FAIL] = fail[s];
            cells[4 * s + OUT] = outputStart[s];
        }
        this.outputs = outputs;
        this.states = states;
    }

    /**
     * Finds every occurrence of every key in {@code text[0..length)}, overlapping ones included,
     * adding (value, end index inclusive) to {@code into} in order of their end.
     */
    public void scan(char[] text, int length, Matches into) {
        final char[] codes = this.codes;
        final int[] cells = this.cells;
        int s = 0;
        for (int i = 0; i < length; i++) {
            int c = codes[text[i]];
            if (c == 0) {
                s = 0;
                continue;
            }
            s = next(cells, s, c);
            int o = cells[(s << 2) + OUT];
            if (o >= 0) {
                emit(o, i, into);
            }
        }
    }

    /** Counts the occurrences, without recording them: the raw scanning speed, for benchmarks. */
    public int count(char[] text, int length) {
        final char[] codes = this.codes;
        final int[] cells = this.cells;
        final int[] outputs = this.outputs;
        int s = 0;
        int found = 0;
        for (int i = 0; i < length; i++) {
            int c = codes[text[i]];
            if (c == 0) {
                s = 0;
                continue;
            }
            s = next(cells, s, c);
            for (int o = cells[(s << 2) + OUT]; o >= 0 && outputs[o] >= 0; o++) {
                found++;
            }
        }
        return found;
    }

    /** The goto function completed by failure links: follow failures until a state has a child on {@code c}. */
    private static int next(int[] cells, int s, int c) {
        while (true) {
            int t = cells[s << 2] + c;
            if (cells[(t << 2) + CHECK] == s) {
                return t;
            }
            if (s == 0) {
                return 0;
            }
            s = cells[(s << 2) + FAIL];
        }
    }

    private void emit(int o, int end, Matches into) {
        for (int[] outputs = this.outputs; outputs[o] >= 0; o++) {
            into.add(outputs[o], end);
        }
    }

    /** Number of states, the root included. */
    public int states() {
        return states;
    }

    /** Bytes held by the arrays, for sizing. */
    public long bytes() {
        return codes.length * 2L + (cells.length + outputs.length) * 4L;
    }

    /**
     * Builds the automaton.
     *
     * @param keys   non-empty keys; a key may appear more than once
     * @param values the value reported for {@code keys[i]}, e.g. an index into the caller's entries
     */
    public static DoubleArrayAhoCorasick build(List<String> keys, int[] values) {
        if (keys.size() != values.length) {
            throw new IllegalArgumentException("keys and values differ in length: " + keys.size() + " vs " + values.length);
        }
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) {
            if (keys.get(i).isEmpty()) {
                throw new IllegalArgumentException("key " + i + " is empty");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> keys.get(a).compareTo(keys.get(b)));
        String[] sorted = new String[order.length];
        int[] sortedValues = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = keys.get(order[i]);
            sortedValues[i] = values[order[i]];
        }
        return new Builder(sorted, sortedValues).build();
    }

    /** Growable (value, end) pairs; reuse one per thread with {@link #clear()}. */
    public static final class Matches {
        private int[] pairs = new int[64];
        private int size;

        void add(int value, int end) {
            if (size * 2 == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[size * 2] = value;
            pairs[size * 2 + 1] = end;
            size++;
        }

        public int size() {
            return size;
        }

        public int value(int i) {
            return pairs[i * 2];
        }

        /** Index of the match's last character (inclusive). */
        public int end(int i) {
            return pairs[i * 2 + 1];
        }

        public void clear() {
            size = 0;
        }
    }

    /**
     * Places the trie breadth-first straight into the double array from the sorted keys (a node is
     * a range of keys sharing a prefix), first-fit over a bitset of used slots, then computes
     * failure links and merged output lists in the same breadth-first order.
     */
    private static final class Builder {
        private final String[] keys;
        private final int[] values;
        private final char[] codes = new char[65536];
        private int alphabet;
        private int[] base = new int[1024];
        private int[] check = new int[1024];
        /** Free slots tried for one node before it goes past the used area. */
        private static final int MAX_TRIES = 1 << 16;
        private static final int WIDTHS = 33;

        private final int[] widthHint = new int[WIDTHS];

        private final UsedSlots used = new UsedSlots();
        private int firstFree = 1; // every slot below is used
        private int highest;

        Builder(String[] keys, int[] values) {
            this.keys = keys;
            this.values = values;
            Arrays.fill(check, FREE);
        }

        DoubleArrayAhoCorasick build() {
            assignCodes();
            used.set(0);
            check[0] = 0;
            // BFS over nodes: (state, lo, hi, depth); keys[lo..hi) share the node's prefix.
            int[] nodeState = new int[16], nodeLo = new int[16], nodeHi = new int[16], nodeDepth = new int[16];
            int head = 0, tail = 0;
            nodeState[tail] = 0; nodeLo[tail] = 0; nodeHi[tail] = keys.length; nodeDepth[tail] = 0; tail++;
            List<int[]> ownOutputs = new ArrayList<>();   // per BFS order: state, then values ending there
            int[] bfsOrder = new int[16];
            int bfsCount = 0;
            int[] childCodes = new int[alphabet + 1];
            int[] childLo = new int[alphabet + 1];
            int[] childHi = new int[alphabet + 1];
            while (head < tail) {
                int state = nodeState[head], lo = nodeLo[head], hi = nodeHi[head], depth = nodeDepth[head];
                head++;
                if (bfsCount == bfsOrder.length) {
                    bfsOrder = Arrays.copyOf(bfsOrder, bfsCount * 2);
                }
                bfsOrder[bfsCount++] = state;
                // keys equal to the prefix come first in sorted order
                int k = lo;
                int endsHere = 0;
                while (k < hi && keys[k].length() == depth) {
                    k++;
                    endsHere++;
                }
                if (endsHere > 0) {
                    int[] own = new int[endsHere + 1];
                    own[0] = state;
                    for (int j = 0; j < endsHere; j++) {
                        own[j + 1] = values[lo + j];
                    }
                    ownOutputs.add(own);
                }
                int children = 0;
                while (k < hi) {
                    char ch = keys[k].charAt(depth);
                    int start = k;
                    while (k < hi && keys[k].charAt(depth) == ch) {
                        k++;
                    }
                    childCodes[children] = codes[ch];
                    childLo[children] = start;
                    childHi[children] = k;
                    children++;
                }
                if (children == 0) {
                    continue;
                }
                int b = place(childCodes, children);
                base[state] = b;
                for (int j = 0; j < children; j++) {
                    int t = b + childCodes[j];
                    check[t] = state;
                    used.set(t);
                    highest = Math.max(highest, t);
                    if (tail == nodeState.length) {
                        int n = tail * 2;
                        nodeState = Arrays.copyOf(nodeState, n);
                        nodeLo = Arrays.copyOf(nodeLo, n);
                        nodeHi = Arrays.copyOf(nodeHi, n);
                        nodeDepth = Arrays.copyOf(nodeDepth, n);
                    }
                    nodeState[tail] = t; nodeLo[tail] = childLo[j]; nodeHi[tail] = childHi[j]; nodeDepth[tail] = depth + 1;
                    tail++;
                }
            }
            // every transition base[s] + c must land inside the arrays, so no bounds branch is needed
            int size = Math.max(highest, maxBase()) + alphabet + 1;
            grow(size);
            base = Arrays.copyOf(base, size);
            check = Arrays.copyOf(check, size);
            int[] fail = new int[size];
            computeFailures(bfsOrder, bfsCount, fail);
            int[] outputStart = new int[size];
            Arrays.fill(outputStart, -1);
            int[] outputs = mergeOutputs(bfsOrder, bfsCount, fail, ownOutputs, outputStart);
            return new DoubleArrayAhoCorasick(codes, base, check, fail, outputStart, outputs, bfsCount);
        }

        private void assignCodes() {
            // most frequent characters get the smallest codes, which keeps the root's block dense
            int[] frequency = new int[65536];
            for (String key : keys) {
                for (int i = 0; i < key.length(); i++) {
                    frequency[key.charAt(i)]++;
                }
            }
            Integer[] chars = java.util.stream.IntStream.range(0, 65536).filter(c -> frequency[c] > 0).boxed()
                    .toArray(Integer[]::new);
            Arrays.sort(chars, (a, b) -> Integer.compare(frequency[b], frequency[a]));
            for (Integer c : chars) {
                codes[c] = (char) ++alphabet;
            }
        }

        private int place(int[] childCodes, int children) {
            int first = childCodes[0];
            firstFree = used.nextFree(firstFree);
            // Nodes of the same width tend to fit where the last one did: start there, so wide
            // nodes skip the crowded front that single-child nodes fill later.
            int width = Math.min(children, WIDTHS - 1);
            int start = Math.max(first + 1, width > 1 ? Math.max(firstFree, widthHint[width] + first) : firstFree);
            int p = used.nextFree(start);
            int tries = 0;
            while (true) {
                if (++tries > MAX_TRIES) {
                    p = highest + 1 + first; // past everything used: always fits
                }
                int b = p - first;
                boolean fits = true;
                for (int j = 1; j < children; j++) {
                    if (used.get(b + childCodes[j])) {
                        fits = false;
                        break;
                    }
                }
                if (fits) {
                    if (width > 1) {
                        widthHint[width] = b;
                    }
                    grow(b + alphabet + 1);
                    return b;
                }
                p = used.nextFree(p + 1);
            }
        }

        private int maxBase() {
            int max = 0;
            for (int b : base) {
                max = Math.max(max, b);
            }
            return max;
        }

        private void grow(int size) {
            if (size > base.length) {
                int n = Math.max(size, base.length * 2);
                base = Arrays.copyOf(base, n);
                int old = check.length;
                check = Arrays.copyOf(check, n);
                Arrays.fill(check, old, n, FREE);
            }
        }

        private void computeFailures(int[] bfsOrder, int count, int[] fail) {
            // BFS order guarantees a parent's failure link is known before its children's
            for (int i = 1; i < count; i++) {
                int t = bfsOrder[i];
                int parent = check[t];
                int c = t - base[parent];
                if (parent == 0) {
                    fail[t] = 0;
                    continue;
                }
                int f = fail[parent];
                while (true) {
                    int next = base[f] + c;
                    if (next < check.length && check[next] == f && next != t) {
                        fail[t] = next;
                        break;
                    }
                    if (f == 0) {
                        fail[t] = 0;
                        break;
                    }
                    f = fail[f];
                }
            }
        }

        private int[] mergeOutputs(int[] bfsOrder, int count, int[] fail, List<int[]> ownOutputs, int[] outputStart) {
            java.util.Map<Integer, int[]> own = new java.util.HashMap<>();
            for (int[] o : ownOutputs) {
                own.put(o[0], o);
            }
            int[] outputs = new int[64];
            int size = 0;
            for (int i = 1; i < count; i++) {
                int t = bfsOrder[i];
                int[] mine = own.get(t);
                int inherited = outputStart[fail[t]];
                if (mine == null) {
                    outputStart[t] = inherited; // share the failure state's list
                    continue;
                }
                int inheritedLength = 0;
                if (inherited >= 0) {
                    while (outputs[inherited + inheritedLength] >= 0) {
                        inheritedLength++;
                    }
                }
                int need = size + mine.length - 1 + inheritedLength + 1;
                if (need > outputs.length) {
                    outputs = Arrays.copyOf(outputs, Math.max(need, outputs.length * 2));
                }
                outputStart[t] = size;
                for (int j = 1; j < mine.length; j++) {
                    outputs[size++] = mine[j];
                }
                if (inherited >= 0) {
                    System.arraycopy(outputs, inherited, outputs, size, inheritedLength);
                    size += inheritedLength;
                }
                outputs[size++] = -1;
            }
            return Arrays.copyOf(outputs, size);
        }
    }

    /**
     * A bitset of used slots with a summary level (one bit per 64-slot word, set when the word is
     * full), so "next free slot at or after x" skips long full stretches 4,096 slots at a time.
     */
    private static final class UsedSlots {
        private long[] words = new long[64];
        private long[] full = new long[1];

        boolean get(int i) {
            int w = i >>> 6;
            return w < words.length && (words[w] & (1L << i)) != 0;
        }

        void set(int i) {
            int w = i >>> 6;
            if (w >= words.length) {
                int n = Math.max(w + 1, words.length * 2);
                words = Arrays.copyOf(words, n);
                full = Arrays.copyOf(full, (n + 63) >>> 6);
            }
            words[w] |= 1L << i;
            if (words[w] == -1L) {
                full[w >>> 6] |= 1L << w;
            }
        }

        int nextFree(int from) {
            int w = from >>> 6;
            if (w >= words.length) {
                return from;
            }
            long free = ~words[w] & (-1L << from);
            if (free != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(free);
            }
            // next word that is not full, found through the summary
            int word = w + 1;
            while (true) {
                int s = word >>> 6;
                if (s >= full.length) {
                    return word << 6;
                }
                long notFull = ~full[s] & (-1L << word);
                if (notFull != 0) {
                    word = (s << 6) + Long.numberOfTrailingZeros(notFull);
                    if (word >= words.length) {
                        return word << 6;
                    }
                    return (word << 6) + Long.numberOfTrailingZeros(~words[word]);
                }
                word = (s + 1) << 6;
            }
        }
    }
}
