package io.siyu.benchmarks;

import io.siyu.engine.ApplyPath;
import io.siyu.engine.TenantState;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Instant;

/**
 * {@code ./siyu bench heap [--people N] [--events-per-person K]}: builds N profiles in-process
 * through the engine's apply path (K events each over 90 days, identify traits, a phone for 60%,
 * WeCom for 20%, a merge for 30%) and reports the retained heap per profile.
 */
final class HeapBench {

    private HeapBench() {}

    static void run(Args args) {
        int people = args.integer("people", 1_000_000);
        int rounds = args.integer("events-per-person", 20);
        long start = System.currentTimeMillis() - EngineEvents.DAYS * 86_400_000L;
        System.out.printf("heap: building %,d profiles with %d events each through TenantState.apply (max heap %,d MB)%n",
                people, rounds, Runtime.getRuntime().maxMemory() >> 20);
        long before = settledHeap();
        long started = System.nanoTime();
        EngineEvents events = new EngineEvents(3, start, rounds);
        TenantState state = ApplyPath.fresh(EngineEvents.TENANT);
        long seq = 0;
        for (int round = 0; round < rounds; round++) {
            for (int person = 0; person < people; person++) {
                ApplyPath.apply(state, events.event(person, round, ++seq));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = settledHeap();
        Reference.reachabilityFence(state);
        long retained = after - before;
        double perProfile = (double) retained / state.people();
        double tenMillion = perProfile * 10_000_000 / (1L << 30);
        System.out.printf("""
                heap: %,d events applied in %.1f s (%,.0f events/s, single thread, event creation included)
                heap: %,d people (%,d person slots incl. merged-away, %,d identifiers), %,d events applied
                heap: retained %,d bytes after GC = %,.0f bytes/profile  [floor ≤ 1,536: %s]
                heap: 10,000,000 profiles × %,.0f B = %.1f GiB of heap for profile state (+ headroom for GC and the dedupe window)
                """, seq, seconds, seq / seconds, state.people(), state.graph().size(), state.graph().identifierCount(),
                state.applied(), retained, perProfile, perProfile <= 1_536 ? "PASS" : "FAIL", perProfile, tenMillion);
        Reference.reachabilityFence(state);
        System.out.println("heap: measured at " + Instant.now() + " with " + ManagementFactory.getRuntimeMXBean().getVmName()
                + " " + Runtime.version() + ", " + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Used heap after full collections, once it stops shrinking. */
    static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used && i >= 2) {
                return Math.min(used, now);
            }
            used = Math.min(used, now);
        }
        return used;
    }
}
