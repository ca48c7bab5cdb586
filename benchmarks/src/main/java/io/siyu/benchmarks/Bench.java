package io.siyu.benchmarks;

import java.util.Arrays;

/**
 * Entry point of {@code ./siyu bench}: {@code ingest} (end-to-end load against a child server),
 * {@code heap} (bytes per profile), {@code segments} (segment counts, listing, PostgreSQL
 * baseline), {@code tag-latency} (rule tags under load), {@code content} (content-compliance scan,
 * CPU and wall time), {@code journeys-vs-flowable} (journey enter and timer drain, Siyu against
 * Flowable on the same PostgreSQL) and {@code jmh [regex]} (the micro-benchmarks).
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "ingest" -> IngestBench.run(new Args(args, 1));
            case "heap" -> HeapBench.run(new Args(args, 1));
            case "segments" -> io.siyu.segment.SegmentBench.main(Arrays.copyOfRange(args, 1, args.length));
            case "tag-latency" -> io.siyu.segment.TagLatencyBench.main(Arrays.copyOfRange(args, 1, args.length));
            case "content" -> ContentBench.run(new Args(args, 1));
            case "journeys-vs-flowable" -> io.siyu.journey.JourneyBench.main(new String[] {"compare", args.length > 1 ? args[1] : "20000"});
            case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            default -> {
                System.out.println("""
                        usage: ./siyu bench ingest [--runs 3] [--seconds 30] [--short-seconds 20] [--warmup 30]
                                                   [--connections 16] [--single-connections 256] [--single-warmup 15]
                                                   [--latency-rate 20000 (only without the batch phase)] [--people 200000]
                                                   [--events 400000] [--phases batch,single,latency,replay,peer]
                                                   [--client nio|blocking] [--client-threads 1 (nio: selector threads)
                                                    | platform|virtual (blocking: one thread per connection)]
                               ./siyu bench heap [--people 1000000] [--events-per-person 20]
                               ./siyu bench segments [people 1000000] [repetitions 50] [--postgres]
                               ./siyu bench tag-latency [events/s 50000] [seconds 60] [people 200000]
                               ./siyu bench content [--terms 50000] [--chars 10000] [--rounds 5]
                               ./siyu bench journeys-vs-flowable [people 20000]  (-Dflowable.threads=8 via SIYU_BENCH_OPTS)
                               ./siyu bench jmh [regex] [JMH options]""");
                if (!command.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
