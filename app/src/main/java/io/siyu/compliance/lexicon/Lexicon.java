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

    /** Digits before a '%' that still make one figure ("12.5%" normalises to "125%"). */
    static final int MAX_FIGURE_DIGITS = 12;

    public static final String RETURN_FIGURE_RULE = "finance.return-figure-needs-disclaimer";

    /** Texts up to this length use the thread's reusable buffers (about 130 KB at most per thread). */
    static final int POOLED_LENGTH = 16_384;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Entry[] entries;
    private final int[] lengths; // normalised length of each entry's term
    private final DoubleArrayAhoCorasick automaton;
    private final TextNormaliser normaliser;
    private final java.util.Map<String, Verdict> severities = new java.util.HashMap<>(); // most severe per rule

    private Lexicon(Entry[] entries, int[] lengths, DoubleArrayAhoCorasick automaton, TextNormaliser normaliser) {
        for (Entry entry : entries) {
            if (entry.kind() == Entry.Kind.FLAG) {
                severities.merge(entry.rule(), entry.severity(), Lexicon::max);
            }
        }
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

    /**
     * Checks {@code text} with this thread's scratch buffers; a text longer than
     * {@value #POOLED_LENGTH} characters gets its own, so no thread keeps megabytes of buffers.
     */
    public Result check(String text) {
        return check(text, text.length() <= POOLED_LENGTH ? SCRATCH.get() : new Scratch());
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
        int allowed = anyAllowed ? allowedSpans(matches, scratch) : 0;
        Verdict verdict = Verdict.PASS;
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            Entry entry = entries[matches.value(i)];
            if (entry.kind() != Entry.Kind.FLAG) {
                continue;
            }
            int end = matches.end(i);
            int start = end - lengths[matches.value(i)] + 1;
            if (allowed > 0 && insideAllowed(start, end, allowed, scratch)) {
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
        return verdict == Verdict.PASS && findings.isEmpty() ? Result.PASSED : new Result(verdict, withoutNested(findings));
    }

    /**
     * Sorted by position, without findings that lie inside a longer one at least as severe ("最"
     * inside "最佳" adds nothing). Findings are at most {@link #MAX_FINDINGS}, so the quadratic
     * check is bounded.
     */
    private List<Finding> withoutNested(List<Finding> findings) {
        findings.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(b.end(), a.end()));
        List<Finding> kept = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            boolean nested = false;
            for (int j = kept.size() - 1; j >= 0 && !nested; j--) {
                Finding k = kept.get(j);
                nested = k.end() >= f.end() && k.end() - k.start() > f.end() - f.start()
                        && severity(k).compareTo(severity(f)) >= 0;
            }
            if (!nested) {
                kept.add(f);
            }
        }
        kept.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(a.end(), b.end()));
        return kept;
    }

    private Verdict severity(Finding finding) {
        return severities.getOrDefault(finding.rule(), Verdict.REVIEW);
    }

    /**
     * Collects the allowed phrases (and disclaimers) as spans sorted by start, with
     * {@code reach[i]} = the furthest end among spans 0..i, so that containment is a binary search.
     *
     * @return the number of spans
     */
    private int allowedSpans(DoubleArrayAhoCorasick.Matches matches, Scratch scratch) {
        long[] spans = scratch.spans(matches.size());
        int count = 0;
        for (int i = 0; i < matches.size(); i++) {
            Entry.Kind kind = entries[matches.value(i)].kind();
            if (kind == Entry.Kind.ALLOW || kind == Entry.Kind.DISCLAIMER) {
                int end = matches.end(i);
                int start = end - lengths[matches.value(i)] + 1;
                spans[count++] = (long) start << 32 | end;
            }
        }
        Arrays.sort(spans, 0, count);
        int[] reach = scratch.reach(count);
        for (int i = 0; i < count; i++) {
            int end = (int) spans[i];
            reach[i] = i == 0 ? end : Math.max(reach[i - 1], end);
        }
        return count;
    }

    /** Whether [start, end] lies inside an allowed span: one starts at or before {@code start} and reaches {@code end}. */
    private static boolean insideAllowed(int start, int end, int count, Scratch scratch) {
        long[] spans = scratch.spans;
        int lo = 0, hi = count; // first span starting after start
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((int) (spans[mid] >>> 32) <= start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo > 0 && scratch.reach[lo - 1] >= end;
    }

    /** Every "digits%" figure within {@link #RETURN_FIGURE_DISTANCE} of a return word is a review finding. */
    private Verdict returnFigures(String text, NormalisedText normalised, DoubleArrayAhoCorasick.Matches matches,
            List<Finding> findings, Verdict verdict, Scratch scratch) {
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
        // a figure counts only near a cue, so only the stretches around cues are searched for '%'
        int searched = 0;
        for (int j = 0; j < cues; j++) {
            int from = Math.max(searched, cueStarts[j] - RETURN_FIGURE_DISTANCE);
            int until = Math.min(n, cueEnds[j] + RETURN_FIGURE_DISTANCE + MAX_FIGURE_DIGITS + 1);
            searched = Math.max(searched, until);
            verdict = figuresBetween(from, until, text, normalised, findings, verdict, cueStarts, cueEnds, cues, longestCue);
        }
        return verdict;
    }

    private Verdict figuresBetween(int from, int until, String text, NormalisedText normalised, List<Finding> findings,
            Verdict verdict, int[] cueStarts, int[] cueEnds, int cues, int longestCue) {
        char[] chars = normalised.chars();
        for (int p = from; p < until; p++) {
            if (chars[p] != '%' || p == 0 || !isDigit(chars[p - 1])) {
                continue;
            }
            int start = p - 1;
            while (start > 0 && isDigit(chars[start - 1]) && p - start < MAX_FIGURE_DIGITS) {
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
        private int[] reach = new int[64];
        private long[] spans = new long[64];

        long[] spans(int n) {
            if (spans.length < n) {
                spans = new long[n];
            }
            return spans;
        }
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
