package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.engine.Event;
import io.siyu.engine.PostgresEventLog;
import io.siyu.platform.DataKeyStore;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A batch of people new to the tenant gets the data keys of their sealed fields in one store call
 * (not a lookup and an insert per person on the request thread), and every field is still sealed
 * under its own subject's key: erasure by crypto-shredding works per person as before.
 */
class BatchDataKeysApiTest extends PrivacyApi {

    @Autowired
    private PostgresEventLog log;

    @Autowired
    private FieldCipher cipher;

    @Autowired
    private DataKeyStore keys;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void newPeopleInABatchGetTheirOwnKeysAndAKeyThatExistsIsKept() throws Exception {
        Brand brand = newBrand();
        TenantId tenant = brand.tenant().id();
        byte[] master = Base64.getDecoder().decode(Files.readString(Path.of("target/test-data/api/master.key")).trim());
        // another instance (nothing shared with the server's cache) made the key of one phone already
        FieldCipher elsewhere = new FieldCipher(master, keys);
        String existingSubject = "phone:" + elsewhere.blindIndex(tenant, "phone", "+8613500000001");
        byte[] sealedElsewhere = elsewhere.sealPersonal(tenant, existingSubject, "+8613500000001");

        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 1; i <= 6; i++) {
            batch.append(i > 1 ? "," : "").append("{\"type\":\"identify\",\"userId\":\"bk-").append(i)
                    .append("\",\"traits\":{\"phone\":\"1350000000").append(i).append("\",\"email\":\"bk").append(i)
                    .append("@example.com\"}}");
        }
        // the same new phone twice in one batch, and a message without any sealed field in between
        batch.append(",{\"type\":\"track\",\"userId\":\"bk-9\",\"event\":\"Signed Up\"}");
        batch.append(",{\"type\":\"identify\",\"userId\":\"bk-2\",\"traits\":{\"phone\":\"13500000002\"}}]}");
        assertThat(post("/v1/batch", brand.writeKey(), batch.toString()).statusCode()).isEqualTo(200);

        assertThat(jdbc.sql("SELECT count(*) FROM data_keys WHERE tenant_id = ?").param(tenant.value()).query(Integer.class)
                .single()).as("six phones and six e-mails, one key each").isEqualTo(12);
        FieldCipher fresh = new FieldCipher(master, keys); // nothing cached: every key comes from the store
        Map<String, List<byte[]>> sealedByUser = new HashMap<>();
        log.replay(0, tenant.value(), event -> {
            String user = event.identifiers().stream().filter(id -> id.toString().startsWith("user_id:")).findFirst()
                    .orElseThrow().toString().substring("user_id:".length());
            for (Event.Sealed sealed : event.sealed()) {
                sealedByUser.computeIfAbsent(user, u -> new ArrayList<>()).add(sealed.ciphertext());
            }
            Object email = event.traits().asMap().get("email");
            if (email != null) {
                assertThat(fresh.openText(tenant, (String) email)).isEqualTo(user.replace("bk-", "bk") + "@example.com");
            }
        });
        for (int i = 1; i <= 6; i++) {
            List<byte[]> phones = sealedByUser.get("bk-" + i);
            assertThat(phones).hasSize(i == 2 ? 2 : 1);
            for (byte[] phone : phones) {
                assertThat(fresh.open(tenant, phone)).isEqualTo("+861350000000" + i);
                assertThat(FieldCipher.subjectOf(phone)).isEqualTo("phone:" + fresh.blindIndex(tenant, "phone", "+861350000000" + i));
            }
        }
        byte[] loggedExisting = sealedByUser.get("bk-1").getFirst();
        assertThat(FieldCipher.subjectOf(loggedExisting)).isEqualTo(existingSubject);
        assertThat(elsewhere.open(tenant, loggedExisting)).as("sealed under the key that already existed")
                .isEqualTo("+8613500000001");
        assertThat(cipher.open(tenant, sealedElsewhere)).isEqualTo("+8613500000001");

        // shredding one person's phone key leaves the others of the batch readable
        assertThat(cipher.shred(tenant, FieldCipher.subjectOf(sealedByUser.get("bk-3").getFirst()))).isTrue();
        assertThatThrownBy(() -> new FieldCipher(master, keys).open(tenant, sealedByUser.get("bk-3").getFirst()))
                .isInstanceOf(FieldCipher.Shredded.class);
        assertThat(new FieldCipher(master, keys).open(tenant, sealedByUser.get("bk-4").getFirst())).isEqualTo("+8613500000004");
    }
}
