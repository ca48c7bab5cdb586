package io.siyu.ingestion.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.siyu.platform.Tenants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ImportServerTest
class ImportCommandTests {

    private static final String EVENTS = """
            event,userId,properties.order_id,properties.total
            Order Completed,cli-1,C-1,30
            Order Completed,cli-1,,5
            Product Viewed,cli-1,,
            """;

    @LocalServerPort
    int port;

    @Autowired
    Tenants tenants;

    @TempDir
    Path dir;

    String tenant;
    ImportApi api;

    @BeforeEach
    void newTenant() {
        tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.create(tenant, "CLI test " + tenant);
        api = new ImportApi(port, tenant);
    }

    @Test
    void importsACsvFileAndPrintsTheSummaryAndTheBadLines() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.csv"), EVENTS);

        Run run = importFile("events", file);

        assertThat(run.status()).as(run.output()).isEqualTo(ImportCommand.OK);
        assertThat(run.output()).contains("events from orders.csv: rows 3, accepted 2, quarantined 1")
                .contains("line 3  properties.order_id [required]");
        awaitEventCount("user_id:cli-1", 2);
    }

    @Test
    void sendsAGzippedFileAsItIsAndCompressesAPlainOneOnTheFly() throws IOException {
        Path gz = dir.resolve("people.jsonl.gz");
        Files.write(gz, ImportApi.gzip("{\"userId\":\"cli-2\",\"traits\":{\"城市\":\"杭州\"}}\n".getBytes(StandardCharsets.UTF_8)));
        Path plain = Files.writeString(dir.resolve("more.ndjson"), "{\"userId\":\"cli-3\",\"traits\":{\"level\":2}}\n");

        Run gzipped = importFile("profiles", gz);
        Run compressedOnTheFly = importFile("profiles", plain, "--gzip");

        assertThat(gzipped.status()).as(gzipped.output()).isEqualTo(ImportCommand.OK);
        assertThat(compressedOnTheFly.status()).as(compressedOnTheFly.output()).isEqualTo(ImportCommand.OK);
        assertThat(gzipped.output()).contains("rows 1, accepted 1, quarantined 0");
        assertThat(compressedOnTheFly.output()).contains("rows 1, accepted 1, quarantined 0");
        awaitEventCount("user_id:cli-2", 1);
        awaitEventCount("user_id:cli-3", 1);
    }

    @Test
    void compressesOnTheFlyIntoValidGzip() throws IOException {
        String text = "第一行,1\n".repeat(50_000);
        Path file = Files.writeString(dir.resolve("big.csv"), text);

        byte[] inflated;
        try (var in = new GZIPInputStream(GzipOnTheFly.of(file))) {
            inflated = in.readAllBytes();
        }

        assertThat(new String(inflated, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void exitsNonZeroAndPrintsTheProblemWhenTheRequestFails() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.csv"), "not,a,header\n1,2,3\n");

        Run run = importFile("events", file);

        assertThat(run.status()).isEqualTo(ImportCommand.FAILED);
        assertThat(run.output()).contains("HTTP 400").contains("header [unknown-column]");
    }

    @Test
    void exitsNonZeroWhenTheTokenIsRefusedOrTheServerIsUnreachable() throws IOException {
        Path file = Files.writeString(dir.resolve("orders.csv"), EVENTS);

        Run refused = run("--url", api.base(), "--token", "wrong", "--tenant", tenant, "--kind", "events", "--file", file.toString());
        Run unreachable = run("--url", "http://localhost:1", "--token", "t", "--kind", "events", "--file", file.toString());

        assertThat(refused.status()).isEqualTo(ImportCommand.FAILED);
        assertThat(refused.output()).contains("HTTP 401");
        assertThat(unreachable.status()).isEqualTo(ImportCommand.FAILED);
        assertThat(unreachable.output()).contains("cannot connect");
    }

    @Test
    void printsUsageForHelpAndForAWrongCommandLine() {
        Run help = run("--help");
        Run wrong = run("--kind", "orders", "--file", "x.csv");
        Run unknown = run("--colour", "red");

        assertThat(help.status()).isEqualTo(ImportCommand.OK);
        assertThat(help.output()).contains("Usage: ./siyu import");
        assertThat(wrong.status()).isEqualTo(ImportCommand.USAGE);
        assertThat(wrong.output()).contains("--kind must be events or profiles");
        assertThat(unknown.status()).isEqualTo(ImportCommand.USAGE);
        assertThat(unknown.output()).contains("unknown argument '--colour'");
    }

    private Run importFile(String kind, Path file, String... more) {
        String[] args = {"--url", api.base(), "--token", ImportApi.ADMIN_TOKEN, "--tenant", tenant, "--kind", kind,
                "--file", file.toString()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return run(all);
    }

    private static Run run(String... args) {
        var bytes = new ByteArrayOutputStream();
        int status = ImportCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private void awaitEventCount(String identifier, long count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ImportApi.Response profile = api.profile(identifier);
            assertThat(profile.status()).isEqualTo(200);
            assertThat(profile.body().at("/stats/eventCount").asLong()).isEqualTo(count);
        });
    }

    private record Run(int status, String output) {}
}
