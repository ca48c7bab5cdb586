package io.siyu.benchmarks;

import io.siyu.SiyuApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application in the bench process, without its web server (or with it: {@link #startWeb}), on a fresh embedded
 * PostgreSQL (fsync and synchronous commit on, as in production): the benches call the real
 * beans, so what they time includes the real database writes.
 */
public final class InProcessSiyu {

    private InProcessSiyu() {}

    public static ConfigurableApplicationContext start(Path dataDir, String... properties) throws IOException {
        return start(dataDir, WebApplicationType.NONE, List.of(), properties);
    }

    /**
     * The same with its web server ({@code server.port=0} picks a free port; read it from the
     * returned context's web server), and with {@code initializers} applied to the context before
     * it is refreshed, which is how a bench changes what the application wires without a switch in
     * the application.
     */
    public static ConfigurableApplicationContext startWeb(Path dataDir, List<ApplicationContextInitializer<?>> initializers,
            String... properties) throws IOException {
        return start(dataDir, WebApplicationType.SERVLET, initializers, properties);
    }

    private static ConfigurableApplicationContext start(Path dataDir, WebApplicationType web,
            List<ApplicationContextInitializer<?>> initializers, String... properties) throws IOException {
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // as arguments, since defaults would lose to application.yml
        String[] all = Stream.concat(Stream.of("siyu.data-dir=" + dataDir.toAbsolutePath(), "siyu.admin-token=bench",
                "logging.level.root=warn"), Stream.of(properties)).map(p -> "--" + p).toArray(String[]::new);
        return new SpringApplicationBuilder(SiyuApplication.class).web(web)
                .initializers(initializers.toArray(ApplicationContextInitializer[]::new)).run(all);
    }

    /**
     * CPU time used so far by this JVM plus the embedded PostgreSQL under {@code dataDir} (the
     * postmaster, its live backends and the children it reaped), in nanoseconds. On a machine
     * shared with other work, CPU per operation is the figure that carries over.
     */
    public static long cpuNanos(Path dataDir) throws IOException {
        long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        Path pidFile;
        try (Stream<Path> found = Files.walk(dataDir, 3)) {
            pidFile = found.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst().orElse(null);
        }
        if (pidFile == null) {
            return jvm;
        }
        String postmaster = Files.readAllLines(pidFile).getFirst().trim();
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String[] f;
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                } catch (IOException gone) {
                    continue;
                }
                // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
                boolean isPostmaster = proc.getFileName().toString().equals(postmaster);
                if (isPostmaster || f[1].equals(postmaster)) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    if (isPostmaster) {
                        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                }
            }
        }
        return jvm + ticks * 10_000_000L; // USER_HZ = 100
    }

    public static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Median of a few figures. */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
