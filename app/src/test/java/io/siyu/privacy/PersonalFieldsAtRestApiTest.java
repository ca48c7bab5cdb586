package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.engine.Engine;
import io.siyu.engine.PostgresEventLog;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * E-mail, ID number (身份证号) and address are sealed at ingestion like the phone: ciphertext in
 * the log rows and snapshot files, e-mail found by its blind index, shown whole to admins and
 * masked to operators, re-wrapped by rotation and dead after erasure.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalFieldsAtRestApiTest extends PrivacyApi {

    private static final String EMAIL = "li.lei.pii@example.cn";
    private static final String ID_NUMBER = "11010519491231002X";
    private static final String ADDRESS = "上海市浦东新区世纪大道1001号";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private Engine engine;

    @Autowired
    private PostgresEventLog log;

    @Autowired
    private FieldCipher cipher;

    @Test
    void theFourFieldsAreCiphertextInTheLogRowsAndSnapshotFiles(CapturedOutput output) throws IOException {
        Brand brand = newBrand();
        identify(brand, "pii-1");
        String id = profile(brand, "user_id:pii-1").path("id").asString();

        List<byte[]> rows = jdbc.sql("SELECT body FROM event_log WHERE tenant_id = ?").param(brand.tenant().id().value())
                .query((rs, n) -> rs.getBytes(1)).list();
        assertThat(rows).isNotEmpty();
        for (byte[] row : rows) {
            assertThat(contains(row, EMAIL)).as("e-mail in a log row").isFalse();
            assertThat(contains(row, ID_NUMBER)).as("ID number in a log row").isFalse();
            assertThat(contains(row, ADDRESS)).as("address in a log row").isFalse();
            assertThat(contains(row, "13812345678")).as("phone in a log row").isFalse();
            assertThat(contains(row, FieldCipher.SEALED_TEXT)).as("the sealed traits are there").isTrue();
        }

        engine.snapshotAll();
        Path snapshot = Path.of("target/test-data/api/snapshots/tenant-" + brand.tenant().id().value() + ".snap");
        byte[] file = Files.readAllBytes(snapshot);
        assertThat(file.length).isPositive();
        assertThat(contains(file, EMAIL) || contains(file, ID_NUMBER) || contains(file, ADDRESS)).as("in the snapshot").isFalse();

        JsonNode admin = body(get("/api/v1/profiles/" + id, brand));
        assertThat(admin.path("traits").path("email").asString()).isEqualTo(EMAIL);
        assertThat(admin.path("traits").path("id_number").asString()).isEqualTo(ID_NUMBER);
        assertThat(admin.path("traits").path("address").asString()).isEqualTo(ADDRESS);
        assertThat(admin.path("identities").toString()).as("the identity is the blind index").doesNotContain(EMAIL);

        assertThat(output.getAll()).as("never in the application's log output").doesNotContain(EMAIL, ID_NUMBER, "世纪大道");
    }

    @Test
    void eMailIsFoundByItsBlindIndexInAnyCaseAndOperatorsSeeMasks() {
        Brand brand = newBrand();
        identify(brand, "pii-2");
        JsonNode found = profile(brand, "email:" + EMAIL.toUpperCase(java.util.Locale.ROOT));
        assertThat(found.path("traits").path("email").asString()).isEqualTo(EMAIL);
        assertThat(get("/api/v1/profiles?identifier=email:nobody@example.cn", brand).statusCode()).isEqualTo(404);
        Brand other = newBrand();
        assertThat(get("/api/v1/profiles?identifier=email:" + EMAIL, other).statusCode()).as("index is per tenant").isEqualTo(404);

        String operator = token(brand, Role.OPERATOR);
        JsonNode masked = body(call("GET", "/api/v1/profiles?identifier=email:" + EMAIL, operator, null));
        assertThat(masked.path("traits").path("email").asString()).isEqualTo("l***@example.cn");
        assertThat(masked.path("traits").path("id_number").asString()).isEqualTo("110****002X");
        assertThat(masked.path("traits").path("address").asString()).isEqualTo("上海市浦东新******");
        assertThat(masked.toString()).doesNotContain("li.lei", "19491231", "世纪大道", FieldCipher.SEALED_TEXT);
    }

    @Test
    void rotationRewrapsTheirKeysAndErasureShredsThem() {
        Brand brand = newBrand();
        identify(brand, "pii-3");
        String id = profile(brand, "user_id:pii-3").path("id").asString();
        List<String> subjects = jdbc.sql("SELECT subject FROM data_keys WHERE tenant_id = ? ORDER BY subject")
                .param(brand.tenant().id().value()).query(String.class).list();
        assertThat(subjects).hasSize(4).anyMatch(s -> s.startsWith("email:")).anyMatch(s -> s.startsWith("id_number:"))
                .anyMatch(s -> s.startsWith("address:")).anyMatch(s -> s.startsWith("phone:"));
        List<String> backup = sealedTraits(brand); // copies of the ciphertext, as a database backup keeps them
        assertThat(backup).hasSize(3);

        assertThat(body(asAdmin("POST", "/api/v1/privacy/keys/rotate", brand, null)).path("rewrapped").asInt()).isEqualTo(4);
        assertThat(body(get("/api/v1/profiles/" + id, brand)).path("traits").path("id_number").asString()).isEqualTo(ID_NUMBER);
        for (String sealed : backup) {
            assertThat(cipher.openText(brand.tenant().id(), sealed)).isIn(EMAIL, ID_NUMBER, ADDRESS);
        }

        JsonNode erased = body(asAdmin("POST", "/api/v1/privacy/people/" + id + "/erase", brand, null));
        assertThat(erased.path("shreddedKeys").asInt()).isEqualTo(4);
        for (String sealed : backup) {
            assertThatThrownBy(() -> cipher.openText(brand.tenant().id(), sealed)).isInstanceOf(FieldCipher.Shredded.class);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM data_keys WHERE tenant_id = ?").param(brand.tenant().id().value())
                .query(Integer.class).single()).isZero();
        assertThat(get("/api/v1/profiles?identifier=email:" + EMAIL, brand).statusCode()).isEqualTo(404);
    }

    @Test
    void householdMembersAtOneAddressHaveTheirOwnKeys() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"h-1\",\"traits\":{\"address\":\"" + ADDRESS + "\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"h-2\",\"traits\":{\"address\":\"" + ADDRESS + "\"}}");
        String first = profile(brand, "user_id:h-1").path("id").asString();
        assertThat(body(asAdmin("POST", "/api/v1/privacy/people/" + first + "/erase", brand, null)).path("shreddedKeys").asInt())
                .isEqualTo(1);
        assertThat(profile(brand, "user_id:h-2").path("traits").path("address").asString()).as("the other keeps theirs")
                .isEqualTo(ADDRESS);
    }

    private void identify(Brand brand, String userId) {
        post("/v1/identify", brand.writeKey(), """
                {"userId":"%s","traits":{"email":" %s ","id_number":"%s","address":"%s","phone":"13812345678","city":"上海"}}"""
                .formatted(userId, EMAIL, ID_NUMBER.toLowerCase(java.util.Locale.ROOT), ADDRESS));
    }

    private List<String> sealedTraits(Brand brand) {
        List<String> found = new ArrayList<>();
        log.replay(0, brand.tenant().id().value(), event -> {
            for (int i = 0; i < event.traits().size(); i++) {
                if (FieldCipher.isSealedText(event.traits().valueAt(i))) {
                    found.add((String) event.traits().valueAt(i));
                }
            }
        });
        return found;
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
