package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills a real Siyu process with SIGKILL twice: while people are entering a journey (first action
 * being performed), and while their one-day waits are firing (second action). After each restart
 * on the same data directory, every person whose event was acknowledged gets each step exactly
 * once: one action id per step (none lost, none made twice). A provider may see one action id a
 * second time when the kill lands between its answer and the outbox marking it done; it recognises
 * the id (the SPI's idempotency contract), so we count at most one such repeat per kill.
 */
class JourneyCrashTest {

    private static final String ADMIN = "journey-crash-admin";
    private static final Path DATA = Path.of("target/test-data/journey-crash");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JOURNEY = """
            {"name": "crash", "trigger": {"type": "event", "event": "Signed Up"},
             "nodes": [
               {"id": "first", "type": "action", "action": "test-recorder", "parameters": {"node": "first", "user": "{{event.user}}"}, "next": "wait"},
               {"id": "wait", "type": "wait", "duration": "P1D", "next": "second"},
               {"id": "second", "type": "action", "action": "test-recorder", "parameters": {"node": "second", "user": "{{event.user}}"}, "next": "done"},
               {"id": "done", "type": "exit"}]}""";

    private Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void noStepIsLostOrMadeTwiceAcrossKillNine() throws Exception {
        TestData.wipe(DATA.toString());
        Files.createDirectories(DATA);
        Path recorded = DATA.resolve("performed.tsv").toAbsolutePath();
        int port = freePort();
        server = start(port, "first", recorded);
        String writeKey = setUp(port);
        int journey = json.readTree(admin(port, "/api/v1/journeys", JOURNEY).body()).path("id").asInt();
        assertThat(admin(port, "/api/v1/journeys/" + journey + "/publish", "").statusCode()).isEqualTo(200);

        List<String> acknowledged = sendUntilKilled(port, writeKey);
        server = start(port, "second", recorded);
        assertThat(admin(port, "/api/v1/admin/clock/advance", "{\"duration\":\"PT0S\"}").statusCode()).isEqualTo(200);
        Map<String, Set<String>> first = idsByUser(recorded, "first");
        for (String user : acknowledged) {
            assertThat(first.get(user)).as("first step of " + user).hasSize(1);
        }

        // a snapshot of the books exists before the second kill (the first run took one every 300 journal rows, or this
        // start did, having read more than that after the last one): the next restart reads it and the journal after it
        long snapshotDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!snapshotWritten() && System.nanoTime() < snapshotDeadline) {
            Thread.sleep(50);
        }
        assertThat(snapshotWritten()).as("a journey snapshot was written").isTrue();

        // the waits fire; kill while their actions are being performed
        CompletableFuture<HttpResponse<String>> advancing = CompletableFuture.supplyAsync(
                () -> adminQuietly(port, "/api/v1/admin/clock/advance", "{\"duration\":\"P1D\"}"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (idsByUser(recorded, "second").size() < acknowledged.size() / 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        advancing.handle((r, e) -> null).join();
        int secondBeforeRestart = idsByUser(recorded, "second").size();
        server = start(port, "third", recorded);
        assertThat(admin(port, "/api/v1/admin/clock/advance", "{\"duration\":\"PT0S\"}").statusCode()).isEqualTo(200);

        Map<String, Set<String>> second = idsByUser(recorded, "second");
        assertThat(secondBeforeRestart).as("the kill came while second steps were being performed").isLessThan(second.size());
        for (String user : acknowledged) {
            assertThat(first.get(user)).as("first step of " + user).hasSize(1);
            assertThat(second.get(user)).as("second step of " + user).hasSize(1);
        }
        List<String> lines = Files.readAllLines(recorded);
        long distinct = lines.stream().map(l -> l.split("\t")[0]).distinct().count();
        assertThat(lines.size() - distinct).as("repeats of an action id (at most one page of outcomes per kill)").isLessThanOrEqualTo(2L * OutboxDispatcher.PAGE);
        String log = Files.readString(DATA.resolve("third.log"));
        java.util.regex.Matcher restored = java.util.regex.Pattern.compile("Journeys restored in \\d+ ms: (\\d+) snapshot rows, (\\d+) journal rows")
                .matcher(log);
        assertThat(restored.find()).isTrue();
        assertThat(Long.parseLong(restored.group(1))).as("rows restored from the snapshot").isPositive();
    }

    private static boolean snapshotWritten() throws IOException {
        for (String run : List.of("first", "second")) {
            if (Files.readString(DATA.resolve(run + ".log")).contains("Journey snapshot of tenant")) {
                return true;
            }
        }
        return false;
    }

    /** Sends sign-ups from 8 clients, kills the server mid-way; returns the users whose event was acknowledged. */
    private List<String> sendUntilKilled(int port, String writeKey) throws Exception {
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int s = 0; s < 8; s++) {
            int sender = s;
            pool.submit(() -> {
                for (int i = 0; i < 500 && !stop.get(); i++) {
                    String user = "u-" + sender + "-" + i;
                    String body = "{\"userId\":\"" + user + "\",\"event\":\"Signed Up\",\"messageId\":\"" + user
                            + "\",\"properties\":{\"user\":\"" + user + "\"}}";
                    try {
                        if (post(port, writeKey, body).statusCode() == 200) {
                            acknowledged.add(user);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path recorded = DATA.resolve("performed.tsv");
        while ((acknowledged.size() < 400 || !Files.exists(recorded) || Files.size(recorded) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        server.destroyForcibly(); // SIGKILL while entering and performing
        server.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);
        return new ArrayList<>(acknowledged);
    }

    private static Map<String, Set<String>> idsByUser(Path recorded, String node) throws IOException {
        Map<String, Set<String>> ids = new HashMap<>();
        if (!Files.exists(recorded)) {
            return ids;
        }
        for (String line : Files.readAllLines(recorded)) {
            String[] f = line.split("\t");
            if (f.length == 3 && f[1].equals(node)) {
                ids.computeIfAbsent(f[2], u -> new HashSet<>()).add(f[0]);
            }
        }
        return ids;
    }

    private static HttpResponse<String> post(int port, String writeKey, String body) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/track"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static HttpResponse<String> admin(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .header("X-Siyu-Tenant", "jcrash").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> adminQuietly(int port, String path, String body) {
        try {
            return admin(port, path, body);
        } catch (Exception e) {
            return null; // the server was killed under the request
        }
    }

    private static String setUp(int port) throws Exception {
        HttpResponse<String> tenant = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/tenants"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"slug\":\"jcrash\",\"name\":\"Crash\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tenant.statusCode()).isEqualTo(201);
        int id = json.readTree(tenant.body()).path("id").asInt();
        HttpResponse<String> key = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/tenants/" + id + "/write-keys"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"crash\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(key.body()).path("secret").asString();
    }

    private static Process start(int port, String name, Path recorded) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.siyu.SiyuApplication", "--server.port=" + port, "--siyu.engine.snapshot-every=2000", "--siyu.journey.snapshot-rows=300",
                "--siyu.test.recorder-file=" + recorded)
                .redirectErrorStream(true).redirectOutput(DATA.resolve(name + ".log").toFile());
        builder.environment().put("SIYU_DATA_DIR", DATA.toAbsolutePath().toString());
        builder.environment().put("SIYU_ADMIN_TOKEN", ADMIN);
        builder.environment().put("SIYU_CLOCK", "simulated");
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Siyu exited early; see " + DATA.resolve(name + ".log").toAbsolutePath());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("Siyu did not become healthy within 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
