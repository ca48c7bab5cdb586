package io.siyu.benchmarks;

import io.siyu.action.ContentGate;
import io.siyu.compliance.lexicon.Entry;
import io.siyu.compliance.lexicon.Lexicon;
import io.siyu.compliance.lexicon.NormalisedText;
import io.siyu.compliance.lexicon.TextNormaliser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ahocorasick.trie.Trie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7's content-scan floors: one 10,000-character copy against a 50,000-term lexicon, one
 * thread (= one core). Characters per second = 10,000 × ops/s.
 *
 * <ul>
 *   <li>{@code siyuScan}: the double-array automaton over the already-normalised copy (raw scan speed)</li>
 *   <li>{@code siyuNormaliseAndScan}: normalisation with offset map + scan</li>
 *   <li>{@code siyuCheck}: the whole check (normalise, scan, context rules, findings); also sampled for p99</li>
 *   <li>{@code peerStringContains}: {@code String.contains} for every term, as several SCRM tools do</li>
 *   <li>{@code peerAhoCorasickLibrary}: {@code org.ahocorasick:ahocorasick} 0.6.3 over the same normalised copy</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ContentScanBenchmark {

    static final int LEXICON = 50_000;
    static final int COPY = 10_000;

    private Lexicon lexicon;
    private String copy;
    private String normalisedCopy;
    private char[] normalisedChars;
    private String[] terms;
    private Trie library;
    private final NormalisedText buffer = new NormalisedText(COPY);
    private final Lexicon.Scratch scratch = new Lexicon.Scratch();

    @Setup
    public void build() {
        List<Entry> entries = ComplianceCorpus.lexicon(LEXICON, 7);
        lexicon = Lexicon.of(entries);
        copy = ComplianceCorpus.copy(COPY, 11);
        TextNormaliser normaliser = TextNormaliser.standard();
        normalisedCopy = normaliser.normalise(copy);
        normalisedChars = normalisedCopy.toCharArray();
        terms = entries.stream().map(e -> normaliser.normalise(e.term())).toArray(String[]::new);
        library = Trie.builder().addKeywords(List.of(terms)).build();
    }

    @Benchmark
    public int siyuScan() {
        return lexicon.automaton().count(normalisedChars, normalisedChars.length);
    }

    @Benchmark
    public int siyuNormaliseAndScan() {
        int n = TextNormaliser.standard().normalise(copy, buffer);
        return lexicon.automaton().count(buffer.chars(), n);
    }

    @Benchmark
    public ContentGate.Result siyuCheck() {
        return lexicon.check(copy, scratch);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ContentGate.Result siyuCheckLatency() {
        return lexicon.check(copy, scratch);
    }

    @Benchmark
    @Warmup(iterations = 1, time = 5)
    @Measurement(iterations = 3, time = 5)
    public int peerStringContains() {
        int found = 0;
        for (String term : terms) {
            if (normalisedCopy.contains(term)) {
                found++;
            }
        }
        return found;
    }

    @Benchmark
    public int peerAhoCorasickLibrary() {
        int[] found = {0};
        library.parseText(normalisedCopy, emit -> {
            found[0]++;
            return true;
        });
        return found[0];
    }
}
