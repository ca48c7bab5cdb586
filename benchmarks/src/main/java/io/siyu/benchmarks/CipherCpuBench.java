package io.siyu.benchmarks;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The same operations as {@link FieldCipherBenchmark}, timed by the thread's own CPU clock as well
 * as the wall clock: on a machine shared with other jobs the wall-clock rate says how busy the
 * neighbours were, the CPU rate what one core does. Five rounds of 1,000,000 operations after a
 * warm-up round; medians.
 *
 * <p>{@code java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" io.siyu.benchmarks.CipherCpuBench}
 */
public final class CipherCpuBench {

    private static final TenantId TENANT = new TenantId(1);
    private static final int SUBJECTS = 10_000;
    private static final int OPS = 1_000_000;
    private static long sink;

    public static void main(String[] args) {
        FieldCipher cipher = new FieldCipher(new byte[32]);
        String[] phones = new String[SUBJECTS];
        String[] subjects = new String[SUBJECTS];
        byte[][] sealed = new byte[SUBJECTS][];
        for (int i = 0; i < SUBJECTS; i++) {
            phones[i] = "+86138" + String.format("%08d", i * 7919 % 100_000_000);
            subjects[i] = "phone:" + cipher.blindIndex(TENANT, "phone", phones[i]);
            sealed[i] = cipher.sealPersonal(TENANT, subjects[i], phones[i]);
        }
        run("seal (AES-256-GCM, per-subject data key)", i -> sink += cipher.sealPersonal(TENANT, subjects[i], phones[i]).length);
        run("open", i -> sink += cipher.open(TENANT, sealed[i]).length());
        run("blind index (HMAC-SHA256)", i -> sink += cipher.blindIndex(TENANT, "phone", phones[i]).length());
        System.out.println("(sink " + (sink & 1) + ")");
    }

    private static void run(String name, IntConsumer op) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] cpuRates = new double[5];
        double[] wallRates = new double[5];
        for (int round = -1; round < 5; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < OPS; i++) {
                op.accept(i % SUBJECTS);
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            long wallNanos = System.nanoTime() - wall;
            if (round >= 0) {
                cpuRates[round] = OPS * 1e9 / cpuNanos;
                wallRates[round] = OPS * 1e9 / wallNanos;
            }
        }
        Arrays.sort(cpuRates);
        Arrays.sort(wallRates);
        System.out.printf("%-45s %,12.0f ops per CPU-second   %,12.0f ops/s wall clock   (medians of 5 × %,d)%n", name,
                cpuRates[2], wallRates[2], OPS);
    }
}
