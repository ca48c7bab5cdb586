package io.siyu.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Siyu server in a child process on a loopback port, with its own data directory and log. */
final class SiyuServer implements AutoCloseable {

    private static final Pattern RESTORED = Pattern.compile(
            "Engine restored to seq (\\d+) in (\\d+) ms \\((\\d+) events replayed");
    static final String ADMIN_TOKEN = "bench";

    /** The engine's start-up line, and how long the whole start took until ready. */
    record Restore(long seq, long engineMillis, long replayed, long readyMillis) {}

    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path log;
    private int starts;

    SiyuServer(Path jar, Path dataDir) throws IOException {
        this.jar = jar;
        this.dataDir = dataDir;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits until it is ready; returns the engine's restore line. */
    Restore start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String opts = System.getenv().getOrDefault("SIYU_JAVA_OPTS", "-Xmx4g -XX:+UseParallelGC");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(opts.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
        log = dataDir.resolve("server-" + (++starts) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SIYU_DATA_DIR", dataDir.resolve("data").toString());
        builder.environment().put("SIYU_ADMIN_TOKEN", ADMIN_TOKEN);
        long started = System.nanoTime();
        process = builder.start();
        long deadline = started + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited during start-up; see " + log);
            }
            if (ready()) {
                long readyMillis = (System.nanoTime() - started) / 1_000_000;
                Matcher m = RESTORED.matcher(Files.readString(log));
                if (!m.find()) {
                    throw new IllegalStateException("no 'Engine restored' line in " + log);
                }
                return new Restore(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        readyMillis);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready within 5 minutes; see " + log);
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then waits for the graceful stop (the engine snapshots on the way out); returns ms taken. */
    long stop() throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not stop within 3 minutes of SIGTERM; killed");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * CPU time used so far by the server JVM and, separately, by its PostgreSQL processes (the
     * postmaster, found through its pid file because pg_ctl detaches it, and its backends).
     */
    double[] cpuSeconds() {
        double own = seconds(process.toHandle());
        double database = 0;
        try {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("data/pg/postmaster.pid")).getFirst().trim());
            database = ProcessHandle.of(pid).map(pg -> seconds(pg) + pg.descendants().mapToDouble(SiyuServer::seconds).sum())
                    .orElse(0.0);
        } catch (IOException | RuntimeException e) {
            database = Double.NaN; // not running yet or not embedded: reported as unknown
        }
        return new double[] {own, database};
    }

    private static double seconds(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    Path snapshots() {
        return dataDir.resolve("data").resolve("snapshots");
    }

    String get(String path, String tenant) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
        if (tenant != null) {
            request.header("X-Siyu-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A metric's value from the Prometheus endpoint, summed over its series; NaN when absent. */
    double metric(String name) throws IOException, InterruptedException {
        double sum = Double.NaN;
        for (String line : get("/actuator/prometheus", null).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    /**
     * The cumulative bucket counts of a Prometheus histogram ({@code name_bucket{…,le="x"} n}),
     * keyed by the bucket's upper bound in seconds; diff two readings to get one interval's.
     */
    java.util.NavigableMap<Double, Double> buckets(String name) throws IOException, InterruptedException {
        return buckets(name, "");
    }

    /** As {@link #buckets(String)}, only the series whose labels contain {@code labels} (e.g. {@code uri="/v1/batch"}). */
    java.util.NavigableMap<Double, Double> buckets(String name, String labels) throws IOException, InterruptedException {
        java.util.NavigableMap<Double, Double> buckets = new java.util.TreeMap<>();
        String prefix = name + "_bucket{";
        for (String line : get("/actuator/prometheus", null).split("\n")) {
            if (line.startsWith(prefix) && line.contains(labels)) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return buckets;
    }

    /** The upper bound (ms) of the bucket holding quantile {@code q} of what was recorded between two readings. */
    static double quantileMillis(java.util.NavigableMap<Double, Double> before, java.util.NavigableMap<Double, Double> after,
            double q) {
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (var bucket : after.entrySet()) {
            if (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0) >= q * total) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
