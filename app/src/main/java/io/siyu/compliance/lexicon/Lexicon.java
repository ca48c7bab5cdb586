package io.siyu.compliance.lexicon;

import io.siyu.action.ContentGate.Finding;
import io.siyu.action.ContentGate.Result;
import io.siyu.action.ContentGate.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled set of {@link Entry entries} and the context rules over them: normalise, scan once
 * with the automaton, then drop flags wholly inside an allowed phrase or disclaimer, and add a
 * review finding for every percentage near a return word when the text has no disclaimer.
 * Immutable and thread-safe; a new lexicon replaces an old one as a whole.
 */
public final class Lexicon {

    /** At most this many findings are reported per text; the verdict still weighs all of them. */
    public static final int MAX_FINDINGS = 1_000;

    /** A percentage counts as a return figure within this many normalised characters of a return word. */
    static final int RETURN_FIGURE_DISTANCE = 24;

    public static final String RETURN_FIGURE_RULE = "finance.return-figure-needs-disclaimer";

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Entry[] entries;
    private final int[] lengths; // normalised length of each entry's term
    private final DoubleArrayAhoCorasick automaton;
    private final TextNormaliser normaliser;

    private Lexicon(Entry[] entries, int[] lengths, DoubleArrayAhoCorasick automaton, TextNormaliser normaliser) {
        this.entries = entries;
        this.lengths = lengths;
        this.automaton = automaton;
        this.normaliser = normaliser;
    }

    /**
     * Compiles the entries. Terms that normalise to nothing (only punctuation) cannot match and are
     * rejected.
     *
     * @throws IllegalArgumentException naming the first such term
     */
    public static Lexicon of(List<Entry> entries) {
        TextNormaliser normaliser = TextNormaliser.standard();
        Entry[] array = entries.toArray(Entry[]::new);
        int[] lengths = new int[array.length];
        List<String> keys = new ArrayList<>(array.length);
        int[] values = new int[array.length];
        for (int i = 0; i < array.length; i++) {
            String key = normaliser.normalise(array[i].term());
            if (key.isEmpty()) {
                throw new IllegalArgumentException("term '" + array[i].term() + "' has no letters or digits to match");
            }
            keys.add(key);
            values[i] = i;
            lengths[i] = key.length();
        }
        return new Lexicon(array, lengths, DoubleArrayAhoCorasick.build(keys, values), normaliser);
    }

    public int size() {
        return entries.length;
    }

    public DoubleArrayAhoCorasick automaton() {
        return automaton;
    }

    /** Checks {@code text} with this thread's scratch buffers. */
    public Result check(String text) {
        return check(text, SCRATCH.get());
    }

    public Result check(String text, Scratch scratch) {
        NormalisedText normalised = scratch.text;
        int n = normaliser.normalise(text, normalised);
        DoubleArrayAhoCorasick.Matches matches = scratch.matches;
        matches.clear();
        automaton.scan(normalised.chars(), n, matches);
        if (matches.size() == 0) {
            return Result.PASSED;
        }
        return judge(text, normalised, matches, scratch);
    }

    private Result judge(String text, NormalisedText normalised, DoubleArrayAhoCorasick.Matches matches, Scratch scratch) {
        boolean anyAllowed = false;
        boolean anyCue = false;
        boolean disclaimed = false;
        for (int i = 0; i < matches.size(); i++) {
            switch (entries[matches.value(i)].kind()) {
                case ALLOW -> anyAllowed = true;
                case DISCLAIMER -> {
                    anyAllowed = true;
                    disclaimed = true;
                }
                case RETURN_CUE -> anyCue = true;
                case FLAG -> { }
            }
        }
        int[] reach = anyAllowed ? allowedReach(normalised.length(), matches, scratch) : null;
        Verdict verdict = Verdict.PASS;
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            Entry entry = entries[matches.value(i)];
            if (entry.kind() != Entry.Kind.FLAG) {
                continue;
            }
            int end = matches.end(i);
            int start = end - lengths[matches.value(i)] + 1;
            if (reach != null && reach[start] >= end) {
                continue; // wholly inside an allowed phrase
            }
            verdict = max(verdict, entry.severity());
            if (findings.size() < MAX_FINDINGS) {
                findings.add(new Finding(entry.category(), entry.term(), normalised.originalStart(start),
                        normalised.originalEnd(end), entry.rule()));
            }
        }
        if (anyCue && !disclaimed) {
            verdict = returnFigures(text, normalised, matches, findings, verdict, scratch);
        }
        findings.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(a.end(), b.end()));
        return verdict == Verdict.PASS && findings.isEmpty() ? Result.PASSED : new Result(verdict, findings);
    }

    /**
     * {@code reach[p]} = the furthest end (inclusive) of an allowed phrase starting at or before
     * {@code p}, or -1: a flag [s, e] lies inside an allowed phrase iff {@code reach[s] >= e}.
     */
    private int[] allowedReach(int n, DoubleArrayAhoCorasick.Matches matches, Scratch scratch) {
        int[] reach = scratch.reach(n);
        Arrays.fill(reach, 0, n, -1);
        for (int i = 0; i < matches.size(); i++) {
            Entry.Kind kind = entries[matches.value(i)].kind();
            if (kind == Entry.Kind.ALLOW || kind == Entry.Kind.DISCLAIMER) {
                int end = matches.end(i);
                int start = end - lengths[matches.value(i)] + 1;
                reach[start] = Math.max(reach[start], end);
            }
        }
        for (int p = 1; p < n; p++) {
            reach[p] = Math.max(reach[p], reach[p - 1]);
        }
        return reach;
    }

    /** Every "digits%" figure within {@link #RETURN_FIGURE_DISTANCE} of a return word is a review finding. */
    private Verdict returnFigures(String text, NormalisedText normalised, DoubleArrayAhoCorasick.Matches matches,
            List<Finding> findings, Verdict verdict, Scratch scratch) {
        char[] chars = normalised.chars();
        int n = normalised.length();
        int[] cueStarts = scratch.cueStarts(matches.size());
        int[] cueEnds = scratch.cueEnds(matches.size());
        int cues = 0;
        int longestCue = 0;
        for (int i = 0; i < matches.size(); i++) {
            if (entries[matches.value(i)].kind() == Entry.Kind.RETURN_CUE) {
                cueEnds[cues] = matches.end(i);
                cueStarts[cues] = matches.end(i) - lengths[matches.value(i)] + 1;
                longestCue = Math.max(longestCue, lengths[matches.value(i)]);
                cues++;
            }
        }
        for (int p = 0; p < n; p++) {
            if (chars[p] != '%' || p == 0 || !isDigit(chars[p - 1])) {
                continue;
            }
            int start = p - 1;
            while (start > 0 && isDigit(chars[start - 1])) {
                start--;
            }
            if (!nearReturnCue(start, p, cueStarts, cueEnds, cues, longestCue)) {
                continue;
            }
            verdict = max(verdict, Verdict.REVIEW);
            if (findings.size() < MAX_FINDINGS) {
                int originalStart = normalised.originalStart(start);
                int originalEnd = normalised.originalEnd(p);
                findings.add(new Finding("finance", text.substring(originalStart, originalEnd), originalStart, originalEnd,
                        RETURN_FIGURE_RULE));
            }
        }
        return verdict;
    }

    /** Cues come in order of their end, so a binary search finds the first one that can be near. */
    private boolean nearReturnCue(int figureStart, int figureEnd, int[] cueStarts, int[] cueEnds, int cues, int longestCue) {
        int lo = 0, hi = cues;
        int from = figureStart - RETURN_FIGURE_DISTANCE;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cueEnds[mid] < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int until = figureEnd + RETURN_FIGURE_DISTANCE;
        for (int j = lo; j < cues && cueEnds[j] - longestCue + 1 <= until; j++) {
            if (cueStarts[j] <= until) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static Verdict max(Verdict a, Verdict b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Per-thread buffers reused across checks, so a check allocates only its findings. */
    public static final class Scratch {
        final NormalisedText text = new NormalisedText(1024);
        final DoubleArrayAhoCorasick.Matches matches = new DoubleArrayAhoCorasick.Matches();
        private int[] reach = new int[1024];
        private int[] cueStarts = new int[64];
        private int[] cueEnds = new int[64];

        int[] cueStarts(int n) {
            if (cueStarts.length < n) {
                cueStarts = new int[n];
            }
            return cueStarts;
        }

        int[] cueEnds(int n) {
            if (cueEnds.length < n) {
                cueEnds = new int[n];
            }
            return cueEnds;
        }

        int[] reach(int n) {
            if (reach.length < n) {
                reach = new int[n];
            }
            return reach;
        }
    }
}
