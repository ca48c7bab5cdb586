package io.siyu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.support.TestData;
import java.io.File;
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
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills a real Siyu process with SIGKILL while clients are sending, restarts it on the same data
 * directory, and checks the promise: every acknowledged event is there, none is applied twice,
 * even when clients retry everything they sent.
 */
class CrashRecoveryTest {

    private static final String ADMIN = "crash-admin";
    private static final Path DATA = Path.of("target/test-data/crash");
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyAcknowledgedEventSurvivesKillNineAndNoneIsAppliedTwice() throws Exception {
        TestData.wipe(DATA.toString());
        int port = freePort();
        server = start(port, "first");
        String writeKey = setUp(port);

        record Batch(String user, String body) {}
        List<Batch> sent = new ArrayList<>();
        ConcurrentLinkedQueue<Batch> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        int senders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<List<Batch>> perSender = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            List<Batch> batches = new ArrayList<>();
            for (int b = 0; b < 400; b++) {
                String user = "crash-" + s + "-" + b;
                StringBuilder body = new StringBuilder("{\"batch\":[");
                for (int e = 0; e < 10; e++) {
                    body.append(e == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"").append(user)
                            .append("\",\"event\":\"Product Viewed\",\"messageId\":\"").append(user).append('-').append(e)
                            .append("\",\"properties\":{\"product_id\":\"p").append(e).append("\"}}");
                }
                batches.add(new Batch(user, body.append("]}").toString()));
            }
            perSender.add(batches);
            sent.addAll(batches);
        }
        for (List<Batch> batches : perSender) {
            pool.submit(() -> {
                for (Batch batch : batches) {
                    if (stop.get()) {
                        return;
                    }
                    try {
                        if (post(port, writeKey, batch.body()).statusCode() == 200) {
                            acknowledged.add(batch);
                        }
                    } catch (IOException e) {
                        return; // the server died under us: this batch was not acknowledged
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.destroyForcibly(); // SIGKILL: no shutdown hook, no snapshot, no graceful close
        server.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);

        server = start(port, "second");
        for (Batch batch : acknowledged) {
            assertThat(eventCount(port, batch.user())).as("acknowledged events of " + batch.user()).isEqualTo(10);
        }
        // clients retry everything they ever sent: each message must still count once
        for (Batch batch : sent) {
            assertThat(post(port, writeKey, batch.body()).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < sent.size(); i += 37) {
            assertThat(eventCount(port, sent.get(i).user())).isEqualTo(10);
        }
        for (Batch batch : acknowledged) {
            assertThat(eventCount(port, batch.user())).isEqualTo(10);
        }
        String log = Files.readString(DATA.resolve("second.log"));
        assertThat(log).contains("Engine restored to seq");
    }

    private static int eventCount(int port, String user) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/profiles?identifier=user_id:" + user))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", "crash").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        JsonNode profile = json.readTree(response.body());
        return profile.path("stats").path("eventCount").asInt();
    }

    private static HttpResponse<String> post(int port, String writeKey, String body) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/batch"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String setUp(int port) throws Exception {
        HttpResponse<String> tenant = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/tenants"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"slug\":\"crash\",\"name\":\"Crash\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tenant.statusCode()).isEqualTo(201);
        int id = json.readTree(tenant.body()).path("id").asInt();
        HttpResponse<String> key = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/tenants/" + id + "/write-keys"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"crash\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(key.body()).path("secret").asString();
    }

    private static Process start(int port, String name) throws Exception {
        Files.createDirectories(DATA);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.siyu.SiyuApplication", "--server.port=" + port, "--siyu.engine.snapshot-every=2000")
                .redirectErrorStream(true).redirectOutput(DATA.resolve(name + ".log").toFile());
        builder.environment().put("SIYU_DATA_DIR", DATA.toAbsolutePath().toString());
        builder.environment().put("SIYU_ADMIN_TOKEN", ADMIN);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Siyu exited early; see " + new File(DATA.resolve(name + ".log").toString()).getAbsolutePath());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
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
