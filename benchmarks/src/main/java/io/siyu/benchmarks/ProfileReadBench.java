package io.siyu.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link ProfileReadBenchmark} pair measured interleaved in one JVM, so that neighbours on a
 * shared machine load both variants alike: rounds of plain reads and of masked + audited reads
 * alternate, and each audited round ends only when its audit entries are durable. Wall clock and
 * this JVM's CPU time (all threads: caller, partition, audit writer, GC; not the PostgreSQL
 * server's) per read; medians of 9 rounds each after 2 warm-up pairs. The JVM CPU is also split by
 * thread (medians per read of each part): the reader threads (view hand-off, masking, noting, JSON),
 * the partition (the views), the audit writer (rows, seals, COPY) and the rest of the JVM (GC, JIT,
 * connection pool), so what the guard adds can be told apart from the hand-offs around it. The
 * PostgreSQL server's CPU per read (from /proc: its processes, and backends that exited) is printed
 * beside it: the audit rows cost the server too, and JVM CPU alone does not show it.
 *
 * <p>With one reader, every read is a hand-off to the partition thread and back on an otherwise idle
 * machine, and the cost of waking an idle core dominates: the plain round then costs more CPU per
 * read than the guarded one, whose audit writer keeps a core awake. Several readers (as the HTTP
 * endpoint has under load: one request thread each) keep the partition busy, and the two rounds
 * differ by what the guard adds.
 *
 * <p>{@code java -Xmx3g -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" io.siyu.benchmarks.ProfileReadBench [people] [reads per round] [readers]}
 */
public final class ProfileReadBench {

    public static void main(String[] args) throws Exception {
        ProfileReadBenchmark bench = new ProfileReadBenchmark();
        bench.people = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int reads = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int readers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long started = System.nanoTime();
        bench.load();
        System.out.printf("loaded %,d people in %.1f s%n", bench.people, (System.nanoTime() - started) / 1e9);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int rounds = 9;
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        double[][] pgCpu = new double[2][rounds];
        // where the CPU goes, per read: reader threads, the partition, the audit writer, and the rest of the JVM (GC, JIT, pool)
        String[] parts = {"readers", "partition", "audit writer", "rest of JVM"};
        double[][][] part = new double[2][parts.length][rounds];
        var threads = ManagementFactory.getThreadMXBean();
        LongAdder sink = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(readers, Thread.ofPlatform().name("bench-reader-", 0).factory());
        for (int round = -2; round < rounds; round++) {
            for (int variant = 0; variant < 2; variant++) {
                boolean guarded = variant == 1;
                long[] part0 = threadCpu(threads);
                long pg0 = bench.postgresCpuNanos();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                List<Future<?>> running = new ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    int share = reads / readers + (r < reads % readers ? 1 : 0);
                    running.add(pool.submit(() -> {
                        long local = 0;
                        for (int i = 0; i < share; i++) {
                            local += (guarded ? bench.readMaskedAudited() : bench.read()).length;
                        }
                        sink.add(local);
                    }));
                }
                for (Future<?> reader : running) {
                    reader.get();
                }
                if (guarded) {
                    bench.audit().flush();
                }
                if (round >= 0) {
                    wall[variant][round] = (System.nanoTime() - wall0) / (double) reads;
                    long process = os.getProcessCpuTime() - cpu0;
                    cpu[variant][round] = process / (double) reads;
                    long pg1 = bench.postgresCpuNanos();
                    pgCpu[variant][round] = pg0 < 0 || pg1 < 0 ? Double.NaN : (pg1 - pg0) / (double) reads;
                    long[] part1 = threadCpu(threads);
                    long named = 0;
                    for (int k = 0; k < 3; k++) {
                        part[variant][k][round] = (part1[k] - part0[k]) / (double) reads;
                        named += part1[k] - part0[k];
                    }
                    part[variant][3][round] = (process - named) / (double) reads;
                }
            }
        }
        for (double[] a : wall) {
            Arrays.sort(a);
        }
        for (double[] a : cpu) {
            Arrays.sort(a);
        }
        for (double[] a : pgCpu) {
            Arrays.sort(a);
        }
        for (double[][] variant : part) {
            for (double[] a : variant) {
                Arrays.sort(a);
            }
        }
        pool.shutdown();
        int m = rounds / 2;
        System.out.printf("%,d reader thread(s), %,d reads per round%n", readers, reads);
        System.out.printf("plain read:            %8.2f µs wall   %8.2f µs CPU   (%,.0f reads/s)%n", wall[0][m] / 1e3, cpu[0][m] / 1e3,
                1e9 / wall[0][m]);
        System.out.printf("masked + audited read: %8.2f µs wall   %8.2f µs CPU   (%,.0f reads/s)%n", wall[1][m] / 1e3, cpu[1][m] / 1e3,
                1e9 / wall[1][m]);
        StringBuilder split = new StringBuilder("CPU per read by thread (medians), plain / guarded:");
        for (int k = 0; k < parts.length; k++) {
            split.append(String.format("  %s %.2f / %.2f µs;", parts[k], part[0][k][m] / 1e3, part[1][k][m] / 1e3));
        }
        System.out.println(split);
        System.out.printf("PostgreSQL server CPU per read (medians): plain %.2f µs, guarded %.2f µs%n", pgCpu[0][m] / 1e3,
                pgCpu[1][m] / 1e3);
        System.out.printf("added: %+.1f %% wall, %+.1f %% CPU   (sink %d)%n", 100 * (wall[1][m] / wall[0][m] - 1),
                100 * (cpu[1][m] / cpu[0][m] - 1), sink.sum() & 1);
        bench.close();
    }

    /** CPU time so far of the reader threads, the partition threads and the audit writer. */
    private static long[] threadCpu(java.lang.management.ThreadMXBean threads) {
        long[] sums = new long[3];
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            int k = name.startsWith("bench-reader-") ? 0 : name.startsWith("siyu-partition-") ? 1
                    : name.equals("siyu-audit-writer") ? 2 : -1;
            if (k >= 0) {
                long ns = threads.getThreadCpuTime(t.threadId());
                sums[k] += Math.max(0, ns);
            }
        }
        return sums;
    }
}
