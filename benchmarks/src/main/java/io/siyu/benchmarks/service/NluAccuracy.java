package io.siyu.benchmarks.service;

import io.siyu.service.nlu.Evaluation;
import io.siyu.service.nlu.LanguageUnderstanding;
import io.siyu.service.nlu.TrainingData;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Accuracy and latency side by side, in one run, for the linear NLU and the BM25 nearest-example
 * peer: held-out split (never trained on by either), the development unseen messages and the blind set; then per-message
 * latency over the whole corpus on one thread (10 warm-up passes, 20 measured).
 * {@code java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" io.siyu.benchmarks.service.NluAccuracy}
 */
public final class NluAccuracy {

    private NluAccuracy() {}

    public static void main(String[] args) throws IOException {
        TrainingData data = TrainingData.bundled();
        LanguageUnderstanding nlu = LanguageUnderstanding.bundled(Clock.systemUTC());
        ServiceCorpus.Bm25NearestExample bm25 = new ServiceCorpus.Bm25NearestExample(data.train());
        Function<String, String> linear = t -> nlu.understand(t).intent();
        report("linear NLU (with fallback)", linear, bm25::classify, data);
        String[] messages = ServiceCorpus.messages();
        System.out.printf("%nlatency over %,d messages × 20 passes, one thread:%n", messages.length);
        latency("linear NLU (full: entities + sentiment + intent)", messages, t -> nlu.understand(t));
        latency("BM25 nearest example (intent only)", messages, bm25::classify);
        var bot = ServiceCorpus.bot(nlu.catalogue());
        latency("bot reply (NLU + dialogue + FAQ over ~1,000 entries)", messages,
                t -> bot.respond(ServiceCorpus.TENANT, new io.siyu.service.dialogue.DialogueState(), t, nlu.understand(t)));
    }

    private static void report(String name, Function<String, String> linear, Function<String, String> peer, TrainingData data) throws IOException {
        Evaluation linearHeldOut = Evaluation.of(data.heldOut(), linear);
        Evaluation peerHeldOut = Evaluation.of(data.heldOut(), peer);
        System.out.printf("held-out (%d): %s accuracy %.4f macro-F1 %.4f | BM25 nearest example accuracy %.4f macro-F1 %.4f%n",
                linearHeldOut.total(), name, linearHeldOut.accuracy(), linearHeldOut.macroF1(), peerHeldOut.accuracy(), peerHeldOut.macroF1());
        compare("unseen (development)", ServiceCorpus.unseen(), name, linear, peer);
        compare("blind", ServiceCorpus.blind(), name, linear, peer);
    }

    private static void compare(String set, java.util.List<TrainingData.Example> examples, String name, Function<String, String> linear,
            Function<String, String> peer) {
        if (examples.isEmpty()) {
            return;
        }
        Evaluation linearResult = Evaluation.of(examples, linear);
        Evaluation peerResult = Evaluation.of(examples, peer);
        System.out.printf("%s (%d): %s accuracy %.4f macro-F1 %.4f | BM25 nearest example accuracy %.4f macro-F1 %.4f%n", set,
                linearResult.total(), name, linearResult.accuracy(), linearResult.macroF1(), peerResult.accuracy(), peerResult.macroF1());
    }

    private static void latency(String name, String[] messages, Function<String, ?> f) {
        Object sink = null;
        for (int pass = 0; pass < 10; pass++) {
            for (String m : messages) {
                sink = f.apply(m);
            }
        }
        Histogram histogram = new Histogram(3);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        for (int pass = 0; pass < 20; pass++) {
            for (String m : messages) {
                long t0 = System.nanoTime();
                sink = f.apply(m);
                histogram.recordValue(System.nanoTime() - t0);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        // one more pass timed in thread CPU time per message: what the work costs when the core is ours (the
        // wall-clock tail on a shared machine is mostly time spent descheduled); includes this thread's GC work, not GC threads'
        Histogram cpu = new Histogram(3);
        for (int pass = 0; pass < 5; pass++) {
            for (String m : messages) {
                long c0 = threads.getCurrentThreadCpuTime();
                sink = f.apply(m);
                cpu.recordValue(Math.max(1, threads.getCurrentThreadCpuTime() - c0));
            }
        }
        // msg per CPU-second is the per-core rate; wall-clock msg/s drops whenever neighbours take the core
        System.out.printf("%-54s p50 %6.1f µs  p99 %7.1f µs  p99.9 %8.1f µs  %,8.0f msg/s wall  %,8.0f msg per CPU-s"
                + "  | CPU time p50 %6.1f µs p99 %7.1f µs%s%n", name,
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getTotalCount() / seconds, histogram.getTotalCount() / cpuSeconds,
                cpu.getValueAtPercentile(50) / 1e3, cpu.getValueAtPercentile(99) / 1e3, sink == null ? "" : "");
    }
}
