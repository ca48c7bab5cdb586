package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.platform.Role;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SegmentExportApiTest extends PrivacyApi {

    @Autowired
    private ExportWatch watch;

    private Brand buyers(String... users) {
        Brand brand = newBrand();
        for (String user : users) {
            post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\",\"traits\":{\"phone\":\"13812341234\",\"email\":\""
                    + "x" + Math.abs(user.hashCode()) + "@example.com\"}}");
            post("/v1/track", brand.writeKey(), "{\"userId\":\"" + user
                    + "\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"o-" + Math.abs(user.hashCode()) + "\",\"total\":10}}");
        }
        assertThat(asAdmin("PUT", "/api/v1/segments/buyers", brand, "{\"condition\":\"count(\\\"Order Completed\\\", 365d) >= 1\"}")
                .statusCode()).isEqualTo(200);
        return brand;
    }

    @Test
    void theExportIsWatermarkedMaskedAuditedAndHonoursConsent() {
        Brand brand = buyers("b-1", "b-2", "b-3", "=SUM(1,2)");
        String refuser = profile(brand, "user_id:b-2").path("id").asString();
        asAdmin("PUT", "/api/v1/consent/" + refuser, brand, "{\"purpose\":\"marketing\",\"consent\":\"refused\"}");
        String operator = token(brand, Role.OPERATOR);
        watch.thresholds(watch.maxRowsPerHour(), 0, 0); // whatever the hour the suite runs at

        HttpResponse<String> response = call("GET", "/api/v1/segments/buyers/export", operator, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String exportId = response.headers().firstValue("X-Siyu-Export").orElseThrow();
        List<String> lines = response.body().lines().toList();
        assertThat(lines.get(0)).contains("token:operator-", exportId, "left out: 1")
                .contains(Instant.now().toString().substring(0, 13));
        assertThat(lines.get(1)).startsWith("person_id,user_id,phone");
        List<String> rows = lines.subList(2, lines.size());
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row).endsWith("," + exportId).contains("138****1234"));
        assertThat(response.body()).doesNotContain(refuser, "13812341234").contains("x***@example.com");
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(",\"'=SUM(1,2)\","));
        assertThat(SegmentExport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");

        HttpResponse<String> analytics = call("GET", "/api/v1/segments/buyers/export?purpose=analytics", operator, null);
        assertThat(analytics.body().lines().count()).isEqualTo(2 + 4);
        assertThat(body(asAdmin("GET", "/api/v1/audit?limit=200", brand, null)).path("entries").toString())
                .contains("segment.exported", "export=" + exportId, "rows=3");
        watch.thresholds(watch.maxRowsPerHour(), 0, 6);
    }

    @Test
    void badExportRequestsAreRefused() {
        Brand brand = buyers("c-1");
        assertThat(asAdmin("GET", "/api/v1/segments/nothing/export", brand, null).statusCode()).isEqualTo(404);
        assertThat(asAdmin("GET", "/api/v1/segments/buyers/export?purpose=resale", brand, null).statusCode()).isEqualTo(400);
        assertThat(asAdmin("GET", "/api/v1/segments/" + "n".repeat(100) + "/export", brand, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/segments/buyers/export", token(brand, Role.ANALYST), null).statusCode()).isEqualTo(403);
    }

    @Test
    void aBulkExportOverTheVolumeFreezesTheAccountUntilAnAdminReleasesIt() {
        Brand brand = buyers("v-1", "v-2", "v-3");
        String operator = token(brand, Role.OPERATOR);
        int before = watch.maxRowsPerHour();
        watch.thresholds(5, 0, 0);
        try {
            assertThat(call("GET", "/api/v1/segments/buyers/export", operator, null).statusCode()).isEqualTo(200);
            HttpResponse<String> second = call("GET", "/api/v1/segments/buyers/export", operator, null);
            assertThat(second.statusCode()).isEqualTo(403);
            assertThat(body(second).path("detail").asString()).contains("6 rows", "frozen");
            HttpResponse<String> anything = call("GET", "/api/v1/events/dictionary", operator, null);
            assertThat(anything.statusCode()).isEqualTo(403);
            assertThat(body(anything).path("detail").asString()).contains("frozen");
            String frozen = asAdmin("GET", "/api/v1/access/frozen", brand, null).body();
            assertThat(frozen).contains("token:operator-", "export volume");
            assertThat(prometheus()).containsPattern("siyu_privacy_export_anomalies_total\\S* [1-9]");
            String name = body(asAdmin("GET", "/api/v1/access/frozen", brand, null)).get(0).path("caller").asString();
            assertThat(asAdmin("POST", "/api/v1/access/frozen/release", brand, "{\"caller\":\"" + name + "\"}").statusCode())
                    .isEqualTo(204);
            assertThat(call("GET", "/api/v1/events/dictionary", operator, null).statusCode()).isEqualTo(200);
            assertThat(asAdmin("POST", "/api/v1/access/frozen/release", brand, "{\"caller\":\"" + name + "\"}").statusCode())
                    .isEqualTo(404);
            assertThat(body(asAdmin("GET", "/api/v1/audit?limit=200", brand, null)).path("entries").toString())
                    .contains("export.anomaly", "account.released");
        } finally {
            watch.thresholds(before, 0, 6);
        }
    }

    @Test
    void anExportAtAnUnusualHourFreezesTooButTheInstallationAdministratorIsNeverFrozen() {
        Brand brand = buyers("h-1");
        int hour = Instant.now().atZone(ZoneId.of("Asia/Shanghai")).getHour();
        int before = watch.maxRowsPerHour();
        watch.thresholds(before, hour, hour + 1);
        try {
            String operator = token(brand, Role.OPERATOR);
            HttpResponse<String> refused = call("GET", "/api/v1/segments/buyers/export", operator, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(body(refused).path("detail").asString()).contains("unusual hour");
            assertThat(asAdmin("GET", "/api/v1/segments/buyers/export", brand, null).statusCode()).isEqualTo(200);
        } finally {
            watch.thresholds(before, 0, 6);
        }
    }

    private String prometheus() {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/actuator/prometheus"))).GET().build()).body();
    }

}
