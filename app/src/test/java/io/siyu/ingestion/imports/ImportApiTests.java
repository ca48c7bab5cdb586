package io.siyu.ingestion.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.siyu.platform.Tenants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@ImportServerTest
class ImportApiTests {

    private static final String CSV = "text/csv";
    private static final String NDJSON = "application/x-ndjson";

    @LocalServerPort
    int port;

    @Autowired
    Tenants tenants;

    ImportApi api;

    @BeforeEach
    void newTenant() {
        String slug = "import-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.create(slug, "Import test " + slug);
        api = new ImportApi(port, slug);
    }

    @Test
    void importsGoodCsvRowsAndReportsEveryBadRowByItsLine() {
        String file = """
                type,event,userId,timestamp,properties.order_id,properties.total,properties.note,context.identities.phone
                track,Order Completed,c1,2026-11-01T10:00:00+08:00,A-0001,99.50,"首单, 含 ""赠品""
                两行备注",13812341234
                track,Order Completed,c1,2026-11-02T10:00:00+08:00,,10,no order id,
                track,Product Viewed,c2,yesterday,,,,
                track,Product Viewed,c2
                track,Product Viewed,c2\u0000,,,,,
                ,Product Viewed,c2,2026-11-03T10:00:00Z,,,,
                """;

        ImportApi.Response response = api.post("events", CSV, file);

        assertThat(response.status()).isEqualTo(200);
        JsonNode report = response.body();
        assertThat(report.get("rows").asLong()).isEqualTo(6);
        assertThat(report.get("accepted").asLong()).isEqualTo(2);
        assertThat(report.get("quarantined").asLong()).isEqualTo(4);
        assertThat(report.get("lastSeq").asLong()).isPositive();
        assertThat(errors(report)).containsExactly(
                tuple(4L, "properties.order_id", "required"),
                tuple(5L, "timestamp", "format"),
                tuple(6L, "line", "columns"),
                tuple(7L, "line", "control-character"));
        assertThat(report.get("errors")).allSatisfy(error -> assertThat(error.get("quarantineId").asLong()).isPositive());

        JsonNode buyer = eventually("user_id:c1", 1);
        assertThat(buyer.at("/stats/orderCount").asInt()).isEqualTo(1);
        assertThat(buyer.at("/stats/totalSpend").decimalValue()).isEqualByComparingTo("99.50");
        assertThat(buyer.at("/identities").toString()).contains("phone:");
        eventually("user_id:c2", 1);
    }

    @Test
    void importsJsonLinesEventsAndQuarantinesMalformedAndHostileLines() {
        String hugeLine = "{\"event\":\"Blob\",\"userId\":\"j1\",\"properties\":{\"blob\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}";
        String file = String.join("\n",
                "{\"event\":\"Order Completed\",\"userId\":\"j1\",\"properties\":{\"order_id\":\"B1\",\"total\":20}}",
                "{\"event\":\"Order Completed\",\"userId\":\"j1\",",
                "{\"event\":\"Order Completed\",\"userId\":\"j1\",\"properties\":{\"total\":5}}",
                "",
                hugeLine,
                "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"j1\",\"timestamp\":\"not a date\"}",
                "\"just a string\"",
                "{\"event\":\"Logged In\",\"userId\":\"j1\",\"messageId\":\"login-1\"}");

        ImportApi.Response response = api.post("events", NDJSON, file);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("rows").asLong()).isEqualTo(7);
        assertThat(response.body().get("accepted").asLong()).isEqualTo(2);
        assertThat(response.body().get("quarantined").asLong()).isEqualTo(5);
        assertThat(errors(response.body())).containsExactly(
                tuple(2L, "line", "json"),
                tuple(3L, "properties.order_id", "required"),
                tuple(5L, "line", "max-size"),
                tuple(6L, "timestamp", "format"),
                tuple(7L, "line", "type"));
        eventually("user_id:j1", 2);
    }

    @Test
    void importsProfilesFromCsvWithBomChineseTraitsAndIdentifierColumns() {
        String file = "\uFEFFuserId,phone,email,会员等级,traits.city\r\n"
                + "p1,13900001111,P1@Example.cn,金卡,\"上海, 浦东\"\r\n"
                + "p2,12345,,银卡,北京\r\n"
                + ",13900002222,p3@example.cn,铜卡,广州\r\n";

        ImportApi.Response response = api.post("profiles", "text/csv; charset=utf-8", file);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("accepted").asLong()).isEqualTo(2);
        assertThat(errors(response.body())).containsExactly(tuple(3L, "phone", "format"));
        JsonNode p1 = eventually("user_id:p1", 1);
        assertThat(p1.at("/traits/会员等级").asString()).isEqualTo("金卡");
        assertThat(p1.at("/traits/city").asString()).isEqualTo("上海, 浦东");
        assertThat(p1.at("/traits/phone").asString()).isEqualTo("139****1111");
        assertThat(eventually("email:p1@example.cn", 1).get("id")).isEqualTo(p1.get("id"));
        assertThat(eventually("email:p3@example.cn", 1).at("/traits/会员等级").asString()).isEqualTo("铜卡");
    }

    @Test
    void importsProfilesFromJsonLinesWithIdentifiersAtTheTopOrUnderIdentities() {
        String file = """
                {"userId":"q1","unionid":"UN-1","traits":{"name":"张三","vip":true}}
                {"identities":{"email":"q2@example.cn"},"traits":{"level":3}}
                {"userId":"q3","favourite":"tea"}
                """;

        ImportApi.Response response = api.post("profiles", "application/jsonl", file);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("accepted").asLong()).isEqualTo(2);
        assertThat(errors(response.body())).containsExactly(tuple(3L, "favourite", "unknown"));
        JsonNode q1 = eventually("unionid:UN-1", 1);
        assertThat(q1.at("/traits/name").asString()).isEqualTo("张三");
        assertThat(q1.at("/traits/vip").asBoolean()).isTrue();
        assertThat(eventually("email:q2@example.cn", 1).at("/traits/level").asInt()).isEqualTo(3);
    }

    @Test
    void reimportingTheSameFileAppliesEachRowOnce() {
        String file = """
                event,userId,properties.order_id,properties.total
                Order Completed,r1,R-1,10
                Order Completed,r1,R-2,15.5
                Product Viewed,r1,,
                """;
        assertThat(api.post("events", CSV, file).body().get("accepted").asLong()).isEqualTo(3);
        assertThat(eventually("user_id:r1", 3).at("/stats/totalSpend").decimalValue()).isEqualByComparingTo("25.5");

        ImportApi.Response again = api.post("events", CSV, file);
        ImportApi.Response gzipped = api.postGzip("events", CSV, file);

        assertThat(again.body().get("accepted").asLong()).isEqualTo(3);
        assertThat(gzipped.body().get("accepted").asLong()).isEqualTo(3);
        api.post("events", CSV, "event,userId\nLogged In,r1\n"); // a marker: once it is applied, so are the re-imports
        JsonNode profile = eventually("user_id:r1", 4);
        assertThat(profile.at("/stats/orderCount").asInt()).isEqualTo(2);
        assertThat(profile.at("/stats/totalSpend").decimalValue()).isEqualByComparingTo("25.5");
    }

    @Test
    void importsAGzipBody() {
        String file = "{\"event\":\"Signed Up\",\"userId\":\"g1\"}\n{\"event\":\"Logged In\",\"userId\":\"g1\"}\n";

        ImportApi.Response response = api.postGzip("events", NDJSON, file);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("accepted").asLong()).isEqualTo(2);
        eventually("user_id:g1", 2);
    }

    @Test
    void refusesAnUnsupportedContentTypeWith415NamingTheHeader() {
        ImportApi.Response response = api.post("events", "application/json", "{\"event\":\"Signed Up\",\"userId\":\"x\"}");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(errors(response.body())).containsExactly(tuple(0L, "Content-Type", "enum"));
    }

    @Test
    void refusesACharsetOtherThanUtf8AndAnUnknownContentEncodingWith415() {
        ImportApi.Response gbk = api.post("events", "text/csv; charset=GBK", "event,userId\nSigned Up,x\n");
        ImportApi.Response brotli = api.post("events", CSV,
                HttpRequest.BodyPublishers.ofString("event,userId\nSigned Up,x\n"), "br");

        assertThat(gbk.status()).isEqualTo(415);
        assertThat(errors(gbk.body())).containsExactly(tuple(0L, "Content-Type", "charset"));
        assertThat(brotli.status()).isEqualTo(415);
        assertThat(errors(brotli.body())).containsExactly(tuple(0L, "Content-Encoding", "enum"));
    }

    @Test
    void refusesACsvFileWithoutAHeaderRowNamingTheHeader() {
        ImportApi.Response response = api.post("events", CSV, "track,Order Completed,u1\ntrack,Signed Up,u2\n");
        ImportApi.Response blankLinesOnly = api.post("profiles", CSV, "\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("header");
        assertThat(response.body().at("/errors/0/rule").asString()).isEqualTo("unknown-column");
        assertThat(blankLinesOnly.status()).isEqualTo(400);
        assertThat(blankLinesOnly.body().at("/errors/0/field").asString()).isEqualTo("header");
        assertThat(blankLinesOnly.body().at("/errors/0/rule").asString()).isEqualTo("required");
    }

    @Test
    void refusesAnEmptyBody() {
        ImportApi.Response plain = api.post("profiles", NDJSON, "");
        ImportApi.Response gzipped = api.postGzip("profiles", NDJSON, "");

        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(plain.body().at("/errors/0/rule").asString()).isEqualTo("required");
        assertThat(gzipped.status()).isEqualTo(400);
        assertThat(gzipped.body().at("/errors/0/rule").asString()).isEqualTo("required");
    }

    @Test
    void refusesABodyThatIsNotTheGzipItClaims() {
        ImportApi.Response response = api.post("events", CSV, "event,userId\n".getBytes(StandardCharsets.UTF_8), true);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(response.body().at("/errors/0/rule").asString()).isEqualTo("gzip");
    }

    @Test
    void reportsATruncatedGzipBodyWithTheRowsItImportedBeforeTheBreak() {
        StringBuilder file = new StringBuilder("event,userId,properties.method\n");
        for (int i = 0; i < 5_000; i++) {
            file.append("Signed Up,t").append(i).append(",m").append(Integer.toHexString(i * 7919)).append('\n');
        }
        byte[] gzip = ImportApi.gzip(file.toString().getBytes(StandardCharsets.UTF_8));

        ImportApi.Response response = api.post("events", CSV, Arrays.copyOf(gzip, gzip.length * 3 / 4), true);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(response.body().at("/errors/0/rule").asString()).isEqualTo("gzip");
        assertThat(response.body().get("detail").asString()).containsPattern("rows through line [1-4]001 were imported");
        eventually("user_id:t0", 1);
    }

    @Test
    void refusesAFileThatIsNotUtf8RatherThanImportingGarbledText() {
        byte[] gbk = "userId,会员等级\np1,金卡\n".getBytes(Charset.forName("GBK"));

        ImportApi.Response response = api.post("profiles", CSV, gbk, false);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(response.body().at("/errors/0/rule").asString()).isEqualTo("encoding");
        assertThat(api.profile("user_id:p1").status()).isEqualTo(404);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitBeforeReadingTheBody() throws IOException {
        try (var socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/v1/import/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + ImportApi.ADMIN_TOKEN + "\r\nX-Siyu-Tenant: " + api.tenant() + "\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: " + (64L * 1024 * 1024 + 1) + "\r\nConnection: close\r\n\r\nevent,userId\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            // read what has come rather than to the end: the server may wait to drain the body it refused
            var response = new StringBuilder();
            byte[] buffer = new byte[4096];
            for (int n; !response.toString().contains("max-size") && (n = socket.getInputStream().read(buffer)) > 0; ) {
                response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }

            assertThat(response.toString()).startsWith("HTTP/1.1 413").contains("\"rule\":\"max-size\"");
        }
    }

    @Test
    void stopsAGzipBombAtTheSizeLimitWith413() throws IOException {
        var compressed = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(compressed)) {
            byte[] blankLines = "\n".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 65; i++) {
                gzip.write(blankLines);
            }
        }

        ImportApi.Response response = api.post("events", NDJSON, compressed.toByteArray(), true);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body().at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(response.body().at("/errors/0/rule").asString()).isEqualTo("max-size");
        assertThat(response.body().get("limit").asLong()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void streamsA200000RowFileImportingEarlyRowsBeforeTheLastOnesAreSent() {
        int rows = 200_000;
        long heapBefore = usedHeapAfterGc();
        long[] heapMidway = new long[1];
        boolean[] firstRowsVisibleMidway = new boolean[1];
        InputStream generated = new GeneratedCsv(rows, "event,userId,properties.product_id\n",
                i -> "Product Viewed,big-" + (i % 500) + ",P" + i + "\n", 150_000, () -> {
                    // the server is still waiting for 50,000 rows: if it buffered the body it has imported nothing yet
                    firstRowsVisibleMidway[0] = await().atMost(Duration.ofSeconds(30)).until(
                            () -> api.profile("user_id:big-0").status() == 200, ok -> ok);
                    heapMidway[0] = usedHeapAfterGc();
                });

        ImportApi.Response response = api.post("events", CSV, HttpRequest.BodyPublishers.ofInputStream(() -> generated), false);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("rows").asLong()).isEqualTo(rows);
        assertThat(response.body().get("accepted").asLong()).isEqualTo(rows);
        assertThat(response.body().get("quarantined").asLong()).isZero();
        assertThat(firstRowsVisibleMidway[0]).isTrue();
        // buffering 150,000 rows as JSON trees would take several hundred MB; a chunk of 1,000 takes a few
        assertThat(heapMidway[0] - heapBefore).as("heap growth while streaming, MB: %d", (heapMidway[0] - heapBefore) >> 20)
                .isLessThan(64L * 1024 * 1024);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> api.profile("user_id:big-499").body().at("/stats/eventCount").asLong() == rows / 500);
    }

    private JsonNode eventually(String identifier, long eventCount) {
        List<JsonNode> found = new ArrayList<>(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ImportApi.Response response = api.profile(identifier);
            assertThat(response.status()).as("GET profile %s: %s", identifier, response.body()).isEqualTo(200);
            assertThat(response.body().at("/stats/eventCount").asLong()).isEqualTo(eventCount);
            found.clear();
            found.add(response.body());
        });
        return found.getFirst();
    }

    private static List<Tuple> errors(JsonNode body) {
        List<Tuple> errors = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            errors.add(tuple(error.path("line").asLong(0), error.path("field").asString(), error.path("rule").asString()));
        }
        return errors;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
