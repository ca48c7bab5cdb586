package io.siyu.benchmarks;

import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.Credentials;
import io.siyu.platform.Role;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import io.siyu.privacy.AuditLog;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What masking and auditing add to {@code GET /api/v1/profiles/{personId}} as an operator calls it:
 * bearer token, Tomcat, the controller, {@code ProfileReadGuard} (erasure check, the read's audit
 * entry, masks), JSON, over keep-alive HTTP connections.
 *
 * <p>Two server processes (three with {@code bench.otherGuarded}), each the whole application with its web server on a free port and its
 * own embedded PostgreSQL, loaded alike through {@code /v1/batch} (people with a name, a phone, an
 * e-mail sealed by ingestion, a city and three tracked events): the <em>guarded</em> one as shipped,
 * the <em>unguarded</em> one with the {@code profileReadGuard} bean definition removed before the
 * context is refreshed (by an initializer of this bench; the application has no switch for it), so
 * its reads skip the erasure check, the audit entry and the masks and return the view as the engine
 * has it. This process is the client: {@code connections} raw-socket keep-alive connections in a
 * closed loop on random people (the same sequence for both servers), each response checked (200,
 * and masked, opened or untouched as the variant and role say). Rounds alternate between the two
 * servers, the order flipping every round, for an operator token (masked) and a tenant-admin token
 * (sealed traits opened); each guarded round ends only when the server's audit writer has made its
 * entries durable ({@code AuditLog.flush}, asked for over the child's stdin; the unguarded server
 * gets the same call), so their cost is inside the round. Each server runs a full collection once it
 * has loaded (before the rounds), so the loaded state is in the old generation as in a server that
 * has been up a while, and the rounds' young collections pay for garbage, not for copying it.
 *
 * <p>CPU per read is the server's own: its JVM from {@code /proc/<pid>/stat} (utime + stime, all
 * threads; split by thread name from {@code /proc/<pid>/task}) and its PostgreSQL (postmaster, live
 * backends, and the reaped ones). The client runs in this separate process, so its CPU is not in the
 * figures (the loopback TCP stack's work is shared by both sides as the kernel accounts it).
 *
 * <p>{@code java -cp "$CP" io.siyu.benchmarks.ProfileApiBench [people] [reads per round] [connections] [rounds] [warm-up rounds]};
 * {@code -Dbench.serverOpts="..."} adds JVM options to the servers (e.g. a JFR recording, {@code {variant}} in it
 * replaced by the server's name); {@code -Dbench.otherGuarded=name=classpath} adds a third server, guarded, started
 * from another build of the application (before/after a change in the same alternating rounds).
 */
public final class ProfileApiBench {

    private static final String GUARD_BEAN = "profileReadGuard";
    /** Per-token rate limit, a deployment setting (100/s by default), raised alike on both servers: the limiter still runs. */
    private static final int RATE = 1_000_000;
    private static final String[] ROLES = {"operator", "admin"};
    private static final String[] PARTS = {"requests", "partition", "audit writer", "GC", "JIT", "rest"};

    private ProfileApiBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
        } else {
            drive(args);
        }
    }

    // ---------------------------------------------------------------- the server processes

    private static void serve(String variant, int people, Path dataDir) throws Exception {
        boolean guarded = !variant.equals("unguarded");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        List<ApplicationContextInitializer<?>> initializers = guarded ? List.of() : List.of(withoutGuard());
        try (ConfigurableApplicationContext app = InProcessSiyu.startWeb(dataDir, initializers, "server.port=0",
                "spring.main.banner-mode=off", "siyu.privacy.api-rate-per-second=" + RATE)) {
            if (app.containsBeanDefinition(GUARD_BEAN) != guarded) {
                throw new IllegalStateException("bean '" + GUARD_BEAN + "' present: " + !guarded + ", expected " + guarded);
            }
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            Tenant tenant = app.getBean(Tenants.class).create("bench", "压测品牌");
            Credentials credentials = app.getBean(Credentials.class);
            String writeKey = credentials.issueWriteKey(tenant.id(), "bench").secret();
            String operator = credentials.issueApiToken(tenant.id(), "operator", Role.OPERATOR).secret();
            String admin = credentials.issueApiToken(tenant.id(), "admin", Role.ADMIN).secret();
            long started = System.nanoTime();
            load(port, writeKey, people);
            Engine engine = app.getBean(Engine.class);
            while (engine.lag() > 0) {
                Thread.sleep(50);
            }
            System.err.printf("[%s] loaded %,d people in %.1f s%n", variant, people,
                    (System.nanoTime() - started) / 1e9);
            AuditLog audit = app.getBean(AuditLog.class);
            audit.flush();
            // The loaded state goes to the old generation now, as in a server that has been up a while;
            // otherwise the first young collections of the rounds copy it between survivor spaces
            // (hundreds of ms of GC CPU each), and whichever server collects in a round looks dearer.
            System.gc();
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            out.println("ready " + port + " " + tenant.id().value() + " " + operator + " " + admin + " " + ProcessHandle.current().pid());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                if (line.equals("flush")) {
                    audit.flush();
                    out.println("flushed");
                } else if (line.equals("groups")) { // asked after the round's CPU is read: the query is not in the figures
                    out.println("groups " + jdbc.sql("SELECT count(*) || ' ' || coalesce(sum(reads), 0) FROM audit_read_groups")
                            .query(String.class).single());
                }
            }
        }
    }

    /** Removes the guard's bean definition once component scanning has registered it, before any bean is made. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> withoutGuard() {
        return context -> context.addBeanFactoryPostProcessor(beanFactory -> {
            BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beanFactory;
            if (!registry.containsBeanDefinition(GUARD_BEAN)) {
                throw new IllegalStateException("no bean '" + GUARD_BEAN + "' to remove: was it renamed?");
            }
            registry.removeBeanDefinition(GUARD_BEAN);
        });
    }

    /** {@code people} people through {@code /v1/batch}, 25 people (100 events) a request, on two connections. */
    private static void load(int port, String writeKey, int people) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        String timestamp = Instant.now().minusSeconds(86_400).toString();
        AtomicInteger next = new AtomicInteger();
        ExecutorService loaders = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            running.add(loaders.submit(() -> {
                for (int from = next.getAndAdd(25); from < people; from = next.getAndAdd(25)) {
                    StringBuilder body = new StringBuilder(40_000).append("{\"batch\":[");
                    for (int p = from; p < Math.min(people, from + 25); p++) {
                        if (p > from) {
                            body.append(',');
                        }
                        body.append(personJson(p, timestamp));
                    }
                    body.append("]}");
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("/v1/batch answered " + response.statusCode() + ": " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> loader : running) {
            loader.get();
        }
        loaders.shutdown();
    }

    /** One person: an identify with personal traits (phone and e-mail, which ingestion masks and seals) and three tracks. */
    private static String personJson(int p, String timestamp) {
        StringBuilder json = new StringBuilder(1_200);
        json.append("{\"type\":\"identify\",\"userId\":\"u").append(p).append("\",\"messageId\":\"i").append(p)
                .append("\",\"timestamp\":\"").append(timestamp).append("\",\"traits\":{\"name\":\"用户").append(p)
                .append("\",\"phone\":\"138").append("%08d".formatted(p)).append("\",\"email\":\"user").append(p)
                .append("@example.com\",\"city\":\"").append(p % 2 == 0 ? "上海" : "杭州")
                .append("\",\"member_level\":\"普通会员\"},\"context\":{\"channel\":\"web\"}}");
        for (int e = 0; e < 3; e++) {
            boolean order = e == 2;
            json.append(",{\"type\":\"track\",\"userId\":\"u").append(p).append("\",\"messageId\":\"t").append(p).append('-').append(e)
                    .append("\",\"timestamp\":\"").append(timestamp).append("\",\"event\":\"")
                    .append(order ? "Order Completed" : "Product Viewed").append("\",\"properties\":{\"product_id\":\"p")
                    .append(p % 500 + e).append("\",\"category\":\"母婴\",\"price\":199.00");
            if (order) {
                json.append(",\"order_id\":\"o").append(p).append("\",\"total\":199.00,\"currency\":\"CNY\"");
            }
            json.append("},\"context\":{\"channel\":\"miniprogram\"}}");
        }
        return json.toString();
    }

    // ---------------------------------------------------------------- the driver and client

    /** A server process as the driver sees it. */
    private record Server(String variant, Process process, long pid, Path dataDir, InetSocketAddress address, int tenant,
            Map<String, String> tokens, BlockingQueue<String> replies) {

        boolean guarded() {
            return !variant.equals("unguarded");
        }

        /** Audit groups and the reads in them so far: {count, reads}. */
        long[] groups() throws Exception {
            process.outputWriter(StandardCharsets.UTF_8).append("groups\n").flush();
            String reply = replies.poll(60, TimeUnit.SECONDS);
            if (reply == null || !reply.startsWith("groups ")) {
                throw new IllegalStateException(variant + " server did not count its audit groups: " + reply);
            }
            String[] f = reply.split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        }

        void flush() throws Exception {
            process.outputWriter(StandardCharsets.UTF_8).append("flush\n").flush();
            String reply = replies.poll(60, TimeUnit.SECONDS);
            if (!"flushed".equals(reply)) {
                throw new IllegalStateException(variant + " server did not flush: " + reply);
            }
        }
    }

    /** One measured round of one server and role: figures per read. */
    private record Round(double readsPerSecond, double p50Micros, double p99Micros, double jvm, double postgres, double[] parts,
            double readsPerGroup, String load) {

        double server() {
            return jvm + postgres;
        }
    }

    private static void drive(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int reads = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int warmUps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "profile-api-bench");
        System.out.printf("# ProfileApiBench: %,d people, %,d reads per round, %d connections, %d rounds after %d warm-up rounds; load %s%n",
                people, reads, connections, rounds, warmUps, loadAverage());
        List<Server> servers = new ArrayList<>();
        try {
            // one at a time: loading them at once on a shared two-core machine only slows each
            servers.add(start("unguarded", people, work.resolve("unguarded"), System.getProperty("java.class.path")));
            servers.add(start("guarded", people, work.resolve("guarded"), System.getProperty("java.class.path")));
            String other = System.getProperty("bench.otherGuarded", "");
            if (!other.isBlank()) { // name=classpath: a guarded server built from other application code, e.g. before/after a change
                String name = other.substring(0, other.indexOf('='));
                servers.add(start(name, people, work.resolve(name), other.substring(other.indexOf('=') + 1)));
            }
            for (Server server : servers) {
                for (String role : ROLES) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    HttpConnection connection = new HttpConnection(server.address());
                    int status = connection.exchange(request(server, role, 0), body);
                    connection.close();
                    String text = body.toString(StandardCharsets.UTF_8);
                    System.out.printf("# %s / %s: %d %s%n", server.variant(), role, status, text.length() > 400 ? text.substring(0, 400) + "…" : text);
                    if (status != 200 || !expected(server.guarded(), role).test(text)) {
                        throw new IllegalStateException(server.variant() + " / " + role + " answered what it should not: " + status + " " + text);
                    }
                }
            }
            Map<String, List<Round>> results = new LinkedHashMap<>();
            for (int round = -warmUps; round < rounds; round++) {
                List<Server> order = new ArrayList<>(servers); // each server first in turn
                java.util.Collections.rotate(order, Math.floorMod(round, servers.size()));
                for (String role : ROLES) {
                    for (Server server : order) {
                        Round measured = measure(server, role, people, reads, connections, 1_000L * round + role.hashCode());
                        System.out.printf(Locale.ROOT, "%s %-9s %-8s %7.0f reads/s  p50 %6.2f ms  p99 %6.2f ms  server JVM %7.2f µs  PostgreSQL %6.2f µs"
                                        + "  total %7.2f µs/read  [%s]  %.0f reads/audit group  load %s%n", round < 0 ? "warm-up" : "round " + round, server.variant(), role,
                                measured.readsPerSecond(), measured.p50Micros() / 1e3, measured.p99Micros() / 1e3, measured.jvm(),
                                measured.postgres(), measured.server(), parts(measured.parts()), measured.readsPerGroup(), measured.load());
                        if (round >= 0) {
                            results.computeIfAbsent(server.variant() + " " + role, k -> new ArrayList<>()).add(measured);
                        }
                    }
                }
            }
            System.out.printf("# medians of %d rounds, µs of server CPU per read (JVM + PostgreSQL); load now %s%n", rounds, loadAverage());
            for (String role : ROLES) {
                List<Round> u = results.get("unguarded " + role);
                for (Server server : servers) {
                    List<Round> variant = results.get(server.variant() + " " + role);
                    System.out.printf(Locale.ROOT, "%-9s %-8s %7.0f reads/s  p50 %6.2f ms  p99 %6.2f ms  JVM %7.2f  PostgreSQL %6.2f  total %7.2f  [%s]  %.0f reads/audit group%n",
                            server.variant(), role, median(variant, Round::readsPerSecond),
                            median(variant, Round::p50Micros) / 1e3, median(variant, Round::p99Micros) / 1e3,
                            median(variant, Round::jvm), median(variant, Round::postgres), median(variant, Round::server),
                            parts(medianParts(variant)), median(variant, Round::readsPerGroup));
                }
                for (Server server : servers.subList(1, servers.size())) {
                    List<Round> g = results.get(server.variant() + " " + role);
                    double[] paired = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        paired[r] = g.get(r).server() / u.get(r).server() - 1;
                    }
                    System.out.printf(Locale.ROOT, "%s, %s: guard adds %+.1f %% server CPU per read (ratio of medians: JVM %+.1f %%, PostgreSQL %+.2f µs);"
                                    + " per-round pairs %s, median %+.1f %%%n", role, server.variant(),
                            100 * (median(g, Round::server) / median(u, Round::server) - 1),
                            100 * (median(g, Round::jvm) / median(u, Round::jvm) - 1), median(g, Round::postgres) - median(u, Round::postgres),
                            Arrays.stream(paired).mapToObj(x -> "%+.1f".formatted(100 * x)).toList(), 100 * InProcessSiyu.median(paired));
                }
            }
        } finally {
            for (Server server : servers) {
                try {
                    server.process().outputWriter(StandardCharsets.UTF_8).append("quit\n").flush();
                } catch (IOException gone) {
                    // already ended; waited for below
                }
            }
            for (Server server : servers) {
                if (!server.process().waitFor(60, TimeUnit.SECONDS)) {
                    server.process().destroy();
                }
            }
        }
    }

    private static Server start(String variant, int people, Path dataDir, String classpath) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx2g",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        String extra = System.getProperty("bench.serverOpts", "").replace("{variant}", variant);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, ProfileApiBench.class.getName(), "serve", variant,
                Integer.toString(people), dataDir.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name(variant + "-stdout").start(() -> {
            try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("ready ") || line.equals("flushed") || line.startsWith("groups ")) {
                        replies.add(line);
                    } else {
                        System.err.println("[" + variant + "] " + line);
                    }
                }
            } catch (IOException e) {
                replies.add("stdout failed: " + e);
            }
            replies.add("ended");
        });
        String ready = replies.poll(30, TimeUnit.MINUTES);
        if (ready == null || !ready.startsWith("ready ")) {
            process.destroy();
            throw new IllegalStateException(variant + " server did not start: " + ready);
        }
        String[] f = ready.split(" ");
        return new Server(variant, process, Long.parseLong(f[5]), dataDir, new InetSocketAddress("127.0.0.1", Integer.parseInt(f[1])),
                Integer.parseInt(f[2]), Map.of("operator", f[3], "admin", f[4]), replies);
    }

    private static byte[] request(Server server, String role, int person) {
        return ("GET /api/v1/profiles/" + PersonId.of(server.tenant(), person) + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.address().getPort() + "\r\nAuthorization: Bearer " + server.tokens().get(role) + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What a correct answer looks like. Ingestion stores the phone masked and the e-mail sealed with
     * its mask; the guard masks the name and shows the e-mail's mask to an operator, and opens the
     * e-mail for an admin; without the guard the sealed e-mail and the clear name go out as stored.
     */
    private static Predicate<String> expected(boolean guarded, String role) {
        if (!guarded) {
            return body -> body.contains("\"name\":\"用户") && body.contains("\"email\":\"sealed:");
        }
        return role.equals("admin")
                ? body -> body.contains("\"name\":\"用户") && body.contains("\"email\":\"user") && !body.contains("sealed:")
                : body -> !body.contains("\"name\":\"用户") && body.contains("***@example.com\"") && !body.contains("sealed:");
    }

    private static Round measure(Server server, String role, int people, int reads, int connections, long seed) throws Exception {
        byte[][] requests = new byte[people][];
        for (int p = 0; p < people; p++) {
            requests[p] = request(server, role, p);
        }
        Predicate<String> check = expected(server.guarded(), role);
        long[] groups0 = server.groups();
        String load0 = loadAverage();
        long[] cpu0 = jvmCpuTicks(server.pid());
        long pg0 = postgresTicks(server.dataDir());
        long wall0 = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> running = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int share = reads / connections + (c < reads % connections ? 1 : 0);
            SplittableRandom random = new SplittableRandom(seed * 31 + c);
            running.add(clients.submit(() -> {
                long[] latencies = new long[share];
                ByteArrayOutputStream body = new ByteArrayOutputStream(4_096);
                try (HttpConnection connection = new HttpConnection(server.address())) {
                    for (int i = 0; i < share; i++) {
                        body.reset();
                        long t0 = System.nanoTime();
                        int status = connection.exchange(requests[random.nextInt(people)], body);
                        latencies[i] = System.nanoTime() - t0;
                        if (status != 200 || !check.test(body.toString(StandardCharsets.UTF_8))) {
                            throw new IllegalStateException(server.variant() + " / " + role + ": " + status + " "
                                    + body.toString(StandardCharsets.UTF_8));
                        }
                    }
                }
                return latencies;
            }));
        }
        long[] latencies = new long[reads];
        int at = 0;
        for (Future<long[]> client : running) {
            long[] part = client.get();
            System.arraycopy(part, 0, latencies, at, part.length);
            at += part.length;
        }
        long wall = System.nanoTime() - wall0;
        clients.shutdown();
        server.flush();
        long[] cpu1 = jvmCpuTicks(server.pid());
        long pg1 = postgresTicks(server.dataDir());
        long[] groups1 = server.groups();
        Arrays.sort(latencies);
        double[] parts = new double[PARTS.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = (cpu1[k + 1] - cpu0[k + 1]) * 10_000.0 / reads; // ticks of 10 ms → µs per read
        }
        return new Round(reads * 1e9 / wall, latencies[reads / 2] / 1e3, latencies[(int) (reads * 0.99)] / 1e3,
                (cpu1[0] - cpu0[0]) * 10_000.0 / reads, (pg1 - pg0) * 10_000.0 / reads, parts,
                groups1[0] == groups0[0] ? 0 : (groups1[1] - groups0[1]) / (double) (groups1[0] - groups0[0]), load0 + " → " + loadAverage());
    }

    /**
     * Clock ticks (10 ms) of a JVM: [0] the whole process (every thread, ended ones included), then
     * by thread name: request handling (virtual threads' carriers and Tomcat's poller), the engine's
     * partition, the audit writer, GC, JIT, and the rest (the whole minus the named parts).
     */
    private static long[] jvmCpuTicks(long pid) throws IOException {
        long[] ticks = new long[1 + PARTS.length];
        ticks[0] = stat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), false);
        long named = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                int k = name.startsWith("ForkJoinPool") || name.startsWith("http-nio") ? 0
                        : name.startsWith("siyu-partition") ? 1
                        : name.startsWith("siyu-audit") ? 2
                        : name.startsWith("GC ") || name.startsWith("G1 ") ? 3
                        : name.startsWith("C1 ") || name.startsWith("C2 ") ? 4 : -1;
                if (k >= 0) {
                    long t = stat(stat, false);
                    ticks[1 + k] += t;
                    named += t;
                }
            }
        }
        ticks[ticks.length - 1] = ticks[0] - named;
        return ticks;
    }

    /** Clock ticks of the embedded PostgreSQL under {@code dataDir}: postmaster, live backends, reaped children. */
    private static long postgresTicks(Path dataDir) throws IOException {
        Path pidFile;
        try (Stream<Path> found = Files.walk(dataDir, 3)) {
            pidFile = found.filter(p -> p.getFileName().toString().equals("postmaster.pid")).findFirst().orElseThrow();
        }
        String postmaster = Files.readAllLines(pidFile).getFirst().trim();
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                boolean isPostmaster = proc.getFileName().toString().equals(postmaster);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (isPostmaster || f[1].equals(postmaster)) {
                    ticks += stat(stat, isPostmaster);
                }
            }
        }
        return ticks;
    }

    /** utime + stime of one /proc stat line, plus the reaped children's when {@code children}. */
    private static long stat(String stat, boolean children) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return children ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + "/" + f[1];
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure) {
        return InProcessSiyu.median(rounds.stream().mapToDouble(figure).toArray());
    }

    private static double[] medianParts(List<Round> rounds) {
        double[] medians = new double[PARTS.length];
        for (int k = 0; k < PARTS.length; k++) {
            int part = k;
            medians[k] = median(rounds, r -> r.parts()[part]);
        }
        return medians;
    }

    private static String parts(double[] parts) {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < PARTS.length; k++) {
            text.append(k == 0 ? "" : ", ").append(PARTS[k]).append(' ').append("%.1f".formatted(parts[k]));
        }
        return text.toString();
    }
}
