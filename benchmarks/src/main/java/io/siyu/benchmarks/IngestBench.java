package io.siyu.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * {@code ./siyu bench ingest}: the end-to-end ingestion benchmark. Starts the server as a child
 * process on a loopback port with a fresh data directory, creates a tenant and write key over the
 * management API, then measures, each over several runs:
 * <ol>
 *   <li>{@code batch}: batches of 100 events on {@code /v1/batch}, closed loop: the most it
 *       sustains, durable (acknowledged after the group commit) and applied to profiles;</li>
 *   <li>{@code single}: one event per request on {@code /v1/track};</li>
 *   <li>{@code latency}: acknowledgement latency, open loop, at half the rate of (1);</li>
 *   <li>{@code replay}: SIGTERM, delete the snapshots, restart, and read the engine's restore line;</li>
 *   <li>{@code peer}: the per-event peer baseline on a separate embedded PostgreSQL, same events,
 *       same concurrency.</li>
 * </ol>
 * CPU time of the client, the server JVM and its PostgreSQL is reported per event, because on a
 * shared machine throughput alone says as much about the neighbours as about Siyu. Everything runs
 * on loopback and stops by itself; the data directory is deleted at the end.
 */
final class IngestBench {

    private final Args args;
    private final int runs;
    private final int seconds;
    private final int shortSeconds;
    private final int connections;
    private final int singleConnections;
    private final Report report;
    private final AtomicLong ids = new AtomicLong(1);
    private SiyuServer server;
    private LoadClient load;
    private List<Payloads.EventJson> events;
    private List<Payloads.Request> batches;
    private List<Payloads.Request> singles;
    private double batchMedian = Double.NaN;
    private double singleMedian = Double.NaN;

    private IngestBench(Args args) {
        this.args = args;
        this.runs = args.integer("runs", 3);
        this.seconds = args.integer("seconds", 30);
        this.shortSeconds = args.integer("short-seconds", 20);
        this.connections = args.integer("connections", 16);
        this.singleConnections = args.integer("single-connections", 256);
        this.report = new Report(("./siyu bench ingest " + String.join(" ", args.raw())).trim());
    }

    static void run(Args args) throws Exception {
        new IngestBench(args).run();
    }

    private void run() throws Exception {
        List<String> phases = List.of(args.text("phases", "batch,single,latency,replay,peer").split(","));
        Path jar = Path.of(args.text("jar", "app/target/siyu-0.1.0-SNAPSHOT-exec.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar + "; build first (./siyu build)");
        }
        // --keep DIR: the server's data directory is DIR and stays after the run (for replaying the
        // same log again with `SIYU_DATA_DIR=DIR/data java -jar ...`); a fresh temporary one otherwise
        String keep = args.text("keep", "");
        Path work = keep.isEmpty() ? Files.createTempDirectory("siyu-bench-") : Files.createDirectories(Path.of(keep));
        if (keep.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
        }
        report.line("# started %s; %d cores (shared); bench JVM %s; server opts %s", Instant.now(),
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                System.getenv().getOrDefault("SIYU_JAVA_OPTS", "-Xmx4g -XX:+UseParallelGC"));
        try (SiyuServer started = new SiyuServer(jar, work)) {
            server = started;
            SiyuServer.Restore first = server.start();
            report.line("# server ready in %,d ms", first.readyMillis());
            prepare();
            if (phases.contains("batch")) {
                batch();
            }
            if (phases.contains("single")) {
                single();
            }
            if (phases.contains("latency")) {
                latency();
            }
            if (phases.contains("replay")) {
                replay();
            }
            server.stop();
            if (phases.contains("peer")) {
                peer(work.resolve("peer-pg"));
            }
        } finally {
            report.print();
            if (keep.isEmpty()) {
                deleteTree(work);
            }
        }
    }

    private void prepare() throws IOException, InterruptedException {
        String tenant = jsonField(server.post("/api/v1/tenants", "{\"slug\":\"bench\",\"name\":\"Bench 压测\"}"), "id");
        String writeKey = jsonField(server.post("/api/v1/tenants/" + tenant + "/write-keys", "{\"name\":\"bench\"}"), "secret");
        int people = args.integer("people", 200_000);
        events = Payloads.events(args.integer("events", 400_000), people, 42);
        double averageBytes = events.stream().mapToInt(e -> e.bytes().length).average().orElse(0);
        String host = "127.0.0.1:" + server.address().getPort();
        batches = Payloads.batches(events, 100, host, writeKey);
        singles = Payloads.singles(events, host, writeKey);
        report.line("# payloads: %,d distinct events (%.0f bytes each on average) from up to %,d people; "
                + "%,d batch requests of 100 (%.0f KB), %,d single-event requests; message ids unique per send",
                events.size(), averageBytes, people, batches.size(), batches.getFirst().bytes().length / 1024.0, singles.size());
        load = loadClient(args, server.address(), ids);
        report.line("# load client: %s", describeClient(args));
    }

    /**
     * {@code --client nio} (the default): {@code --client-threads N} selector threads, 1 unless
     * given, share the connections. {@code --client blocking}: one thread per connection,
     * {@code --client-threads platform} (the default) or {@code virtual}; the client of the
     * figures before session 7.
     */
    private static LoadClient loadClient(Args args, InetSocketAddress address, AtomicLong ids) {
        String client = args.text("client", "nio");
        return switch (client) {
            case "nio" -> new SelectorLoad(address, ids, selectorThreads(args));
            case "blocking" -> new Load(address, ids, blockingThreads(args).equals("virtual"));
            default -> throw new IllegalArgumentException("--client is nio or blocking, not " + client);
        };
    }

    private static String describeClient(Args args) {
        return args.text("client", "nio").equals("nio")
                ? "java.nio, %d selector thread(s) sharing the connections".formatted(selectorThreads(args))
                : "blocking, one %s thread per connection".formatted(blockingThreads(args));
    }

    private static int selectorThreads(Args args) {
        String threads = args.text("client-threads", "1");
        if (!threads.matches("[1-9][0-9]{0,2}")) {
            throw new IllegalArgumentException("--client-threads with --client nio is a number of selector threads, not " + threads);
        }
        return Integer.parseInt(threads);
    }

    private static String blockingThreads(Args args) {
        String threads = args.text("client-threads", "platform");
        if (!threads.equals("virtual") && !threads.equals("platform")) {
            throw new IllegalArgumentException("--client-threads with --client blocking is virtual or platform, not " + threads);
        }
        return threads;
    }

    /** (1) Batches of 100 on /v1/batch, closed loop. */
    private void batch() throws IOException, InterruptedException {
        int warmup = args.integer("warmup", 30);
        report.line("# warm-up: %d s of batches", warmup);
        load.closedLoop(batches, connections, warmup);
        drainMillis();
        double commitsBefore = server.metric("siyu_log_group_commits_total");
        double appendedBefore = server.metric("siyu_ingest_events_total");
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Cpu cpu = Cpu.start(server);
            LoadClient.Result result = load.closedLoop(batches, connections, seconds);
            long drain = drainMillis();
            rates.add(result.eventsPerSecond());
            report.line("batch run %d: %,.0f events/s (%,d events in %.1f s, %d errors, p50 %.1f ms, p99 %.1f ms, "
                    + "%,d connects); applied %,d ms after the last ack; %s", r, result.eventsPerSecond(), result.events(),
                    result.seconds(), result.errors(), ms(result.latencyMicros(), 50), ms(result.latencyMicros(), 99),
                    result.reconnects(), drain, cpu.perEvent(server, result.events()));
        }
        double perCommit = (server.metric("siyu_ingest_events_total") - appendedBefore)
                / (server.metric("siyu_log_group_commits_total") - commitsBefore);
        batchMedian = median(rates);
        report.result("HTTP /v1/batch, 100 events/request, %d connections, durable + applied".formatted(connections),
                batchMedian, "events/s", rates, batchMedian >= 60_000, "≥ 60,000 events/s");
        report.line("# events per group commit during the batch runs: %.0f", perCommit);
    }

    /** (2) One event per request on /v1/track, closed loop. */
    private void single() throws IOException, InterruptedException {
        load.closedLoop(singles, singleConnections, args.integer("single-warmup", 15));
        drainMillis();
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            double commitsBefore = server.metric("siyu_log_group_commits_total");
            double appendedBefore = server.metric("siyu_ingest_events_total");
            Cpu cpu = Cpu.start(server);
            LoadClient.Result result = load.closedLoop(singles, singleConnections, shortSeconds);
            drainMillis();
            rates.add(result.eventsPerSecond());
            report.line("single run %d: %,.0f events/s (%,d requests in %.1f s, %d errors, p50 %.1f ms, p99 %.1f ms, "
                    + "%,d connects, %.0f events per group commit); %s", r, result.eventsPerSecond(), result.requests(),
                    result.seconds(), result.errors(), ms(result.latencyMicros(), 50), ms(result.latencyMicros(), 99),
                    result.reconnects(), (server.metric("siyu_ingest_events_total") - appendedBefore)
                            / (server.metric("siyu_log_group_commits_total") - commitsBefore),
                    cpu.perEvent(server, result.events()));
        }
        singleMedian = median(rates);
        report.result("HTTP /v1/track, 1 event/request, %d connections".formatted(singleConnections), singleMedian,
                "events/s", rates, singleMedian >= 20_000, "≥ 20,000 events/s");
    }

    /**
     * (3) Open loop at half the batch maximum; latency from when each request was due. Prints the
     * p99 and maximum of each second (UTC wall clock of its start) to line stalls up with the
     * server's log (snapshots) and a GC log.
     */
    private void latency() throws IOException, InterruptedException {
        if (Double.isNaN(batchMedian)) {
            int warmup = args.integer("warmup", 30);
            report.line("# warm-up: %d s of batches (no batch phase to take the rate from)", warmup);
            load.closedLoop(batches, connections, warmup);
            drainMillis();
        }
        double offered = Double.isNaN(batchMedian) ? args.integer("latency-rate", 20_000) : batchMedian / 2;
        double rate = offered / 100;
        List<Double> p50s = new ArrayList<>(), p99s = new ArrayList<>(), p999s = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            var acksBefore = server.buckets("siyu_ingest_ack_seconds");
            var commitsBefore = server.buckets("siyu_log_commit_seconds");
            var writesBefore = server.buckets("siyu_log_write_seconds");
            var requestsBefore = server.buckets("http_server_requests_seconds", "uri=\"/v1/batch\"");
            LoadClient.Result result = load.openLoop(batches, connections, shortSeconds, rate);
            var acksAfter = server.buckets("siyu_ingest_ack_seconds");
            var commitsAfter = server.buckets("siyu_log_commit_seconds");
            var writesAfter = server.buckets("siyu_log_write_seconds");
            var requestsAfter = server.buckets("http_server_requests_seconds", "uri=\"/v1/batch\"");
            drainMillis();
            p50s.add(ms(result.latencyMicros(), 50));
            p99s.add(ms(result.latencyMicros(), 99));
            p999s.add(ms(result.latencyMicros(), 99.9));
            report.line("latency run %d at %,.0f events/s offered (%,.0f achieved): p50 %.2f ms, p99 %.2f ms, "
                    + "p99.9 %.2f ms, max %.2f ms (%d errors)", r, rate * 100, result.eventsPerSecond(), p50s.getLast(),
                    p99s.getLast(), p999s.getLast(), result.latencyMicros().getMaxValue() / 1000.0, result.errors());
            report.line("  in the server (bucket upper bounds): /v1/batch request p50 ≤ %.1f ms, p99 ≤ %.1f ms, p99.9 ≤ %.1f ms",
                    SiyuServer.quantileMillis(requestsBefore, requestsAfter, 0.5),
                    SiyuServer.quantileMillis(requestsBefore, requestsAfter, 0.99),
                    SiyuServer.quantileMillis(requestsBefore, requestsAfter, 0.999));
            report.line("  in the server (bucket upper bounds): engine submit → durable ack p50 ≤ %.1f ms, p99 ≤ %.1f ms, "
                    + "p99.9 ≤ %.1f ms; group commit p50 ≤ %.1f ms, p99 ≤ %.1f ms, p99.9 ≤ %.1f ms",
                    SiyuServer.quantileMillis(acksBefore, acksAfter, 0.5), SiyuServer.quantileMillis(acksBefore, acksAfter, 0.99),
                    SiyuServer.quantileMillis(acksBefore, acksAfter, 0.999),
                    SiyuServer.quantileMillis(commitsBefore, commitsAfter, 0.5),
                    SiyuServer.quantileMillis(commitsBefore, commitsAfter, 0.99),
                    SiyuServer.quantileMillis(commitsBefore, commitsAfter, 0.999));
            report.line("  in the server (bucket upper bounds): group write before its commit p50 ≤ %.1f ms, p99 ≤ %.1f ms, "
                    + "p99.9 ≤ %.1f ms", SiyuServer.quantileMillis(writesBefore, writesAfter, 0.5),
                    SiyuServer.quantileMillis(writesBefore, writesAfter, 0.99),
                    SiyuServer.quantileMillis(writesBefore, writesAfter, 0.999));
            for (int s = 0; s < result.perSecond().size(); s++) {
                Histogram second = result.perSecond().get(s);
                report.line("  second %2d (from %s): %,d requests, p99 %.1f ms, max %.1f ms", s,
                        Instant.ofEpochMilli(result.startEpochMillis() + s * 1_000L), second.getTotalCount(),
                        ms(second, 99), second.getMaxValue() / 1000.0);
            }
        }
        report.result("ack latency p50, open loop at %,.0f events/s (batches of 100)".formatted(rate * 100), median(p50s),
                "ms", p50s, true, "");
        report.result("ack latency p99", median(p99s), "ms", p99s, median(p99s) <= 20, "≤ 20 ms");
        report.result("ack latency p99.9", median(p999s), "ms", p999s, true, "");
    }

    /** (4) Stop, delete the snapshots, restart: the engine replays the whole log. */
    private void replay() throws IOException, InterruptedException {
        List<Double> rates = new ArrayList<>(), restarts = new ArrayList<>(), stops = new ArrayList<>();
        long logged = 0;
        for (int r = 1; r <= runs; r++) {
            stops.add(server.stop() / 1000.0);
            deleteTree(server.snapshots());
            SiyuServer.Restore restore = server.start();
            logged = restore.seq();
            double rate = restore.replayed() / (restore.engineMillis() / 1000.0);
            rates.add(rate);
            restarts.add(restore.readyMillis() / 1000.0);
            report.line("replay run %d: %,d events replayed in %,d ms = %,.0f events/s; start until ready %,d ms "
                    + "(graceful stop with snapshot before it: %.1f s)", r, restore.replayed(), restore.engineMillis(), rate,
                    restore.readyMillis(), stops.getLast());
        }
        double median = median(rates);
        report.result("replay without snapshots (%,d events)".formatted(logged), median, "events/s", rates,
                median >= 500_000, "≥ 500,000 events/s");
        report.result("restart until ready, replaying %,d events".formatted(logged), median(restarts), "s", restarts, true, "");
        report.result("graceful stop (SIGTERM, snapshot written)", median(stops), "s", stops, true, "");
        String profile = server.get("/api/v1/profiles?identifier=user_id:bu10000000", "bench");
        report.line("# a profile after replay: %s", profile.length() > 240 ? profile.substring(0, 240) + "…" : profile);
    }

    /** (5) The per-event transactional approach on its own PostgreSQL, same events, same concurrency. */
    private void peer(Path directory) throws IOException, InterruptedException {
        try (PeerBaseline peer = new PeerBaseline(directory)) {
            peer.run(events, connections, 5, ids);
            List<Double> rates = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                rates.add(peer.run(events, connections, shortSeconds, ids));
                report.line("peer run %d: %,.0f events/s", r, rates.getLast());
            }
            double median = median(rates);
            report.result("peer: per-event INSERT + upsert transaction, %d connections, same PostgreSQL settings"
                    .formatted(connections), median, "events/s", rates, true, "");
            if (!Double.isNaN(batchMedian)) {
                report.ratio("Siyu /v1/batch ÷ peer", batchMedian / median);
            }
            if (!Double.isNaN(singleMedian)) {
                report.ratio("Siyu /v1/track ÷ peer", singleMedian / median);
            }
        }
    }

    /** Waits until the engine has applied everything acknowledged; returns how long that took. */
    private long drainMillis() throws IOException, InterruptedException {
        long started = System.nanoTime();
        for (int i = 0; i < 1_200 && server.metric("siyu_log_lag") > 0; i++) {
            Thread.sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** CPU seconds of the bench client, the server JVM and its PostgreSQL at the start of a run. */
    private record Cpu(double client, double server, double database) {
        static Cpu start(SiyuServer server) {
            double[] s = server.cpuSeconds();
            return new Cpu(clientSeconds(), s[0], s[1]);
        }

        String perEvent(SiyuServer server, long events) {
            double[] s = server.cpuSeconds();
            return String.format(Locale.ROOT, "CPU per event: server JVM %.1f µs, PostgreSQL %.1f µs, load client %.1f µs",
                    (s[0] - this.server) * 1e6 / events, (s[1] - database) * 1e6 / events,
                    (clientSeconds() - client) * 1e6 / events);
        }

        /** The whole bench JVM, every thread it has or had (load threads end with each run): /proc/self/stat. */
        private static double clientSeconds() {
            return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String jsonField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no '" + field + "' in " + json);
        }
        return m.group(1);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /** Prints lines as they happen and, at the end, a Markdown table for docs/benchmarks.md. */
    private static final class Report {
        private final String command;
        private final List<String> rows = new ArrayList<>();

        Report(String command) {
            this.command = command;
        }

        void line(String format, Object... args) {
            System.out.println(String.format(Locale.ROOT, format, args));
        }

        void result(String what, double median, String unit, List<Double> runs, boolean pass, String floor) {
            String each = String.join(", ", runs.stream().map(v -> format(v, unit)).toList());
            String verdict = floor.isEmpty() ? "" : floor + (pass ? " ✅" : " ❌ not met");
            rows.add("| %s | %s %s | %s | %s |".formatted(what, format(median, unit), unit, each, verdict));
            line("%s: median %s %s [%s]%s", what, format(median, unit), unit, each,
                    floor.isEmpty() ? "" : "  floor " + floor + (pass ? " PASS" : " FAIL"));
        }

        void ratio(String what, double ratio) {
            rows.add("| %s | %.1f× | | |".formatted(what, ratio));
            line("%s: %.1f×", what, ratio);
        }

        private static String format(double v, String unit) {
            return unit.equals("events/s") ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        }

        void print() {
            System.out.println();
            System.out.println("Command: " + command);
            System.out.println();
            System.out.println("| measurement | median | runs | floor |");
            System.out.println("| --- | --- | --- | --- |");
            rows.forEach(System.out::println);
        }
    }
}
