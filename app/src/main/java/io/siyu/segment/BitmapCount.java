package io.siyu.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Counts the people of a tags-and-segments expression without building a bitmap for it or for
 * any intermediate result.
 *
 * <p>Roaring's operators allocate a new container per operand and key, so ten predicates over
 * 10 M people cost about 10 ms in allocation and container dispatch. Here each 65,536-person
 * chunk of every operand is loaded once into 1,024 words and the whole expression runs word by
 * word into one buffer, which is then popcounted against the live people; an {@code and} whose
 * chunk is already empty skips its remaining operands. Chunks are independent, so large tenants
 * split them between the calling thread and the {@link Cores}.
 */
final class BitmapCount {

    /** A tags-and-segments expression over operand bitmaps. */
    sealed interface Node {
        record Operand(RoaringBitmap bits) implements Node {}

        record Not(Node child) implements Node {}

        record All(List<Node> children) implements Node {}

        record Any(List<Node> children) implements Node {}
    }

    private static final int WORDS = 1 << 10;
    /** Below this many chunks (about 2 M people) a second thread costs more than it saves. */
    private static final int PARALLEL_FROM_CHUNKS = 32;

    private BitmapCount() {}

    /** How many of {@code people} the expression holds for. */
    static long count(Node expression, RoaringBitmap people) {
        int[] keys = keysOf(people);
        int threads = keys.length < PARALLEL_FROM_CHUNKS ? 1 : Cores.HELPERS + 1;
        if (threads == 1) {
            return new Pass(expression, people).count(keys, 0, keys.length);
        }
        List<CompletableFuture<Long>> others = new ArrayList<>(threads - 1);
        int share = (keys.length + threads - 1) / threads;
        for (int t = 1; t < threads; t++) {
            int from = Math.min(keys.length, t * share);
            int to = Math.min(keys.length, from + share);
            others.add(CompletableFuture.supplyAsync(() -> new Pass(expression, people).count(keys, from, to), Cores.POOL));
        }
        long total = new Pass(expression, people).count(keys, 0, Math.min(keys.length, share));
        for (CompletableFuture<Long> other : others) {
            total += other.join();
        }
        return total;
    }

    private static int[] keysOf(RoaringBitmap people) {
        int[] keys = new int[64];
        int n = 0;
        for (ContainerPointer p = people.getContainerPointer(); p.getContainer() != null; p.advance()) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, 2 * n);
            }
            keys[n++] = p.key();
        }
        return Arrays.copyOf(keys, n);
    }

    /** One thread's walk over a run of chunks, with its own cursors and buffers. */
    private static final class Pass {
        private final Node expression;
        private final ContainerPointer people;
        private final Map<RoaringBitmap, ContainerPointer> cursors = new IdentityHashMap<>();
        private final List<long[]> buffers = new ArrayList<>();
        /** An array container holds at most 4,096 values; beyond that Roaring uses a bitmap. */
        private final int[] values = new int[4_096];

        Pass(Node expression, RoaringBitmap people) {
            this.expression = expression;
            this.people = people.getContainerPointer();
        }

        long count(int[] keys, int from, int to) {
            long[] live = buffer(0);
            long[] matched = buffer(1);
            long count = 0;
            for (int i = from; i < to; i++) {
                int key = keys[i];
                if (!evaluate(expression, key, matched, 2)) {
                    continue;
                }
                load(people, key, live);
                for (int w = 0; w < WORDS; w++) {
                    count += Long.bitCount(matched[w] & live[w]);
                }
            }
            return count;
        }

        /** Writes the expression's words for the chunk into {@code out}; false when they are all zero. */
        private boolean evaluate(Node node, int key, long[] out, int depth) {
            return switch (node) {
                case Node.Operand operand -> load(cursors.computeIfAbsent(operand.bits(), RoaringBitmap::getContainerPointer), key, out);
                case Node.Not not -> {
                    evaluate(not.child(), key, out, depth + 1);
                    long any = 0;
                    for (int w = 0; w < WORDS; w++) {
                        any |= out[w] = ~out[w];
                    }
                    yield any != 0;
                }
                case Node.All all -> {
                    boolean any = evaluate(all.children().getFirst(), key, out, depth + 1);
                    long[] next = buffer(depth);
                    for (int c = 1; c < all.children().size() && any; c++) {
                        Node child = all.children().get(c);
                        boolean negated = child instanceof Node.Not;
                        evaluate(negated ? ((Node.Not) child).child() : child, key, next, depth + 1);
                        long bits = 0;
                        for (int w = 0; w < WORDS; w++) {
                            bits |= out[w] &= negated ? ~next[w] : next[w];
                        }
                        any = bits != 0;
                    }
                    yield any;
                }
                case Node.Any either -> {
                    boolean any = evaluate(either.children().getFirst(), key, out, depth + 1);
                    long[] next = buffer(depth);
                    for (int c = 1; c < either.children().size(); c++) {
                        if (evaluate(either.children().get(c), key, next, depth + 1)) {
                            for (int w = 0; w < WORDS; w++) {
                                out[w] |= next[w];
                            }
                            any = true;
                        }
                    }
                    yield any;
                }
            };
        }

        /** The chunk {@code key} of the bitmap behind the cursor, as words; false when it has none. */
        private boolean load(ContainerPointer cursor, int key, long[] words) {
            while (cursor.getContainer() != null && cursor.key() < key) {
                cursor.advance();
            }
            Container container = cursor.getContainer();
            if (container == null || cursor.key() != key) {
                Arrays.fill(words, 0);
                return false;
            }
            switch (container) {
                case BitmapContainer bitmap -> bitmap.copyBitmapTo(words, 0);
                case ArrayContainer array -> {
                    Arrays.fill(words, 0);
                    int n = array.getCardinality();
                    array.fillLeastSignificant16bits(values, 0, 0);
                    for (int i = 0; i < n; i++) {
                        words[values[i] >>> 6] |= 1L << values[i];
                    }
                }
                default -> {
                    if (container.isFull()) {
                        Arrays.fill(words, -1L);
                    } else {
                        container.toBitmapContainer().copyBitmapTo(words, 0);
                    }
                }
            }
            return true;
        }

        private long[] buffer(int depth) {
            while (buffers.size() <= depth) {
                buffers.add(new long[WORDS]);
            }
            return buffers.get(depth);
        }
    }
}
