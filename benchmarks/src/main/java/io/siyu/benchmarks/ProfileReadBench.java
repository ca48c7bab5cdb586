package io.siyu.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The {@link ProfileReadBenchmark} pair measured interleaved in one JVM, so that neighbours on a
 * shared machine load both variants alike: rounds of plain reads and of masked + audited reads
 * alternate, and each audited round ends only when its audit entries are durable. Wall clock and
 * this JVM's CPU time (all threads: caller, partition, audit writer, GC; not the PostgreSQL
 * server's) per read; medians of 9 rounds each after 2 warm-up pairs.
 *
 * <p>{@code java -Xmx3g -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" io.siyu.benchmarks.ProfileReadBench [people] [reads per round]}
 */
public final class ProfileReadBench {

    public static void main(String[] args) throws Exception {
        ProfileReadBenchmark bench = new ProfileReadBenchmark();
        bench.people = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int reads = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        long started = System.nanoTime();
        bench.load();
        System.out.printf("loaded %,d people in %.1f s%n", bench.people, (System.nanoTime() - started) / 1e9);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int rounds = 9;
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        long sink = 0;
        for (int round = -2; round < rounds; round++) {
            for (int variant = 0; variant < 2; variant++) {
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < reads; i++) {
                    sink += (variant == 0 ? bench.read() : bench.readMaskedAudited()).length;
                }
                if (variant == 1) {
                    bench.audit().flush();
                }
                if (round >= 0) {
                    wall[variant][round] = (System.nanoTime() - wall0) / (double) reads;
                    cpu[variant][round] = (os.getProcessCpuTime() - cpu0) / (double) reads;
                }
            }
        }
        for (double[] a : wall) {
            Arrays.sort(a);
        }
        for (double[] a : cpu) {
            Arrays.sort(a);
        }
        int m = rounds / 2;
        System.out.printf("plain read:            %8.2f µs wall   %8.2f µs CPU   (%,.0f reads/s)%n", wall[0][m] / 1e3, cpu[0][m] / 1e3,
                1e9 / wall[0][m]);
        System.out.printf("masked + audited read: %8.2f µs wall   %8.2f µs CPU   (%,.0f reads/s)%n", wall[1][m] / 1e3, cpu[1][m] / 1e3,
                1e9 / wall[1][m]);
        System.out.printf("added: %+.1f %% wall, %+.1f %% CPU   (sink %d)%n", 100 * (wall[1][m] / wall[0][m] - 1),
                100 * (cpu[1][m] / cpu[0][m] - 1), sink & 1);
        bench.close();
    }
}
