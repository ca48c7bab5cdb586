package io.siyu.benchmarks;

import io.siyu.action.ContentGate;
import io.siyu.compliance.lexicon.Entry;
import io.siyu.compliance.lexicon.Lexicon;
import io.siyu.compliance.lexicon.NormalisedText;
import io.siyu.compliance.lexicon.TextNormaliser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.ahocorasick.trie.Trie;

/**
 * {@code ./siyu bench content}: the content-scan floors of issue 7 measured in thread CPU time as
 * well as wall time, because on a shared machine wall time mostly measures the neighbours. Same
 * workload as {@link ContentScanBenchmark} (50,000-term lexicon, 10,000-character copy, one
 * thread); the approaches take turns within every round so the machine's load falls on all alike.
 * "Per core" figures are characters per CPU-second of the measuring thread.
 */
final class ContentBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Approach(String name, int opsPerRound, IntSupplier op) {}

    private ContentBench() {}

    static void run(Args args) {
        int lexiconSize = args.integer("terms", 50_000);
        int copyLength = args.integer("chars", 10_000);
        int rounds = args.integer("rounds", 5);
        long started = System.nanoTime();
        List<Entry> entries = ComplianceCorpus.lexicon(lexiconSize, 7);
        Lexicon lexicon = Lexicon.of(entries);
        long buildMs = (System.nanoTime() - started) / 1_000_000;
        String copy = ComplianceCorpus.copy(copyLength, 11);
        TextNormaliser normaliser = TextNormaliser.standard();
        String normalised = normaliser.normalise(copy);
        char[] normalisedChars = normalised.toCharArray();
        String[] terms = entries.stream().map(e -> normaliser.normalise(e.term())).toArray(String[]::new);
        Trie library = Trie.builder().addKeywords(List.of(terms)).build();
        NormalisedText buffer = new NormalisedText(copyLength);
        Lexicon.Scratch scratch = new Lexicon.Scratch();
        ContentGate.Result sample = lexicon.check(copy, scratch);
        System.out.printf("lexicon %,d terms (%,d states, %,d bytes, built in %,d ms); copy %,d chars, %,d after "
                        + "normalisation; verdict %s with %d findings%n", lexicon.size(), lexicon.automaton().states(),
                lexicon.automaton().bytes(), buildMs, copy.length(), normalised.length(), sample.verdict(),
                sample.findings().size());

        List<Approach> approaches = List.of(
                new Approach("siyu scan (normalised copy)", 400, () -> lexicon.automaton().count(normalisedChars, normalisedChars.length)),
                new Approach("siyu normalise + scan", 400, () -> {
                    int n = normaliser.normalise(copy, buffer);
                    return lexicon.automaton().count(buffer.chars(), n);
                }),
                new Approach("siyu check (normalise, scan, rules, findings)", 400,
                        () -> lexicon.check(copy, scratch).findings().size()),
                new Approach("peer org.ahocorasick 0.6.3 (normalised copy)", 20, () -> {
                    int[] found = {0};
                    library.parseText(normalised, emit -> {
                        found[0]++;
                        return true;
                    });
                    return found[0];
                }),
                new Approach("peer String.contains × terms (normalised copy)", 1, () -> {
                    int found = 0;
                    for (String term : terms) {
                        if (normalised.contains(term)) {
                            found++;
                        }
                    }
                    return found;
                }));

        Map<String, long[][]> samples = new LinkedHashMap<>(); // name -> {cpu[], wall[]}
        for (Approach approach : approaches) {
            int total = approach.opsPerRound() * rounds;
            samples.put(approach.name(), new long[][] {new long[total], new long[total]});
            for (int i = 0; i < Math.max(3, approach.opsPerRound() * 3); i++) { // warm-up
                blackhole += approach.op().getAsInt();
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Approach approach : approaches) {
                long[][] s = samples.get(approach.name());
                for (int i = 0; i < approach.opsPerRound(); i++) {
                    int at = round * approach.opsPerRound() + i;
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    blackhole += approach.op().getAsInt();
                    s[1][at] = System.nanoTime() - wall0;
                    s[0][at] = THREADS.getCurrentThreadCpuTime() - cpu0;
                }
            }
        }

        System.out.printf("%n%-48s %14s %14s %12s %12s %12s%n", "approach (one thread)", "M chars/CPU-s", "M chars/wall-s",
                "median CPU", "p99 CPU", "p99 wall");
        Map<String, Double> cpuMedian = new LinkedHashMap<>();
        for (var entry : samples.entrySet()) {
            long[] cpu = entry.getValue()[0].clone();
            long[] wall = entry.getValue()[1].clone();
            Arrays.sort(cpu);
            Arrays.sort(wall);
            double medianCpu = cpu[cpu.length / 2];
            double medianWall = wall[wall.length / 2];
            cpuMedian.put(entry.getKey(), medianCpu);
            System.out.printf("%-48s %14.1f %14.1f %12s %12s %12s%n", entry.getKey(), copy.length() / medianCpu * 1e3,
                    copy.length() / medianWall * 1e3, micros(medianCpu), micros(percentile(cpu, 0.99)),
                    micros(percentile(wall, 0.99)));
        }
        double scan = cpuMedian.get(approaches.get(0).name());
        double check = cpuMedian.get(approaches.get(2).name());
        System.out.println();
        for (Approach peer : approaches.subList(3, 5)) {
            System.out.printf("%s: siyu scan %.0f× faster, siyu full check %.0f× faster (CPU medians)%n", peer.name(),
                    cpuMedian.get(peer.name()) / scan, cpuMedian.get(peer.name()) / check);
        }
        System.out.println("(checksum " + blackhole + ")");
    }

    private static long blackhole;

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String micros(double nanos) {
        return nanos >= 10_000_000 ? String.format("%.0f ms", nanos / 1e6) : String.format("%.1f µs", nanos / 1e3);
    }
}
