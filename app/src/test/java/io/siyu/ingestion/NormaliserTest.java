package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.engine.Event;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class NormaliserTest {

    private static final TenantId TENANT = new TenantId(3);
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final FieldCipher cipher = new FieldCipher(new byte[32]);
    private final Normaliser normaliser = new Normaliser(cipher, json);
    private final long now = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

    private Normaliser.Outcome normalise(String message) {
        return normaliser.normalise(TENANT, json.readTree(message), null, "", now, null, "http");
    }

    @Test
    void normalisesMainlandPhonesWrittenEveryWhichWay() {
        assertThat(Normaliser.normalisePhone("138 1234 5678")).isEqualTo("+8613812345678");
        assertThat(Normaliser.normalisePhone("+86-138-1234-5678")).isEqualTo("+8613812345678");
        assertThat(Normaliser.normalisePhone("008613812345678")).isEqualTo("+8613812345678");
        assertThat(Normaliser.normalisePhone("+852 9123 4567")).isEqualTo("+85291234567");
        assertThat(Normaliser.normalisePhone("12345")).isNull();
        assertThat(Normaliser.normalisePhone("02112345678")).isNull();
        assertThat(Normaliser.mask("+8613812345678")).isEqualTo("138****5678");
    }

    @Test
    void keepsThePhoneOnlyAsHashMaskAndCiphertext() {
        var outcome = normalise("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"phone\":\"13812345678\"}}");
        Event event = ((Normaliser.Outcome.Accepted) outcome).event();
        Identifier phone = event.identifiers().stream().filter(i -> i.type() == IdentifierType.PHONE_HASH).findFirst().orElseThrow();
        assertThat(phone.value()).isEqualTo(cipher.blindIndex(TENANT, "phone", "+8613812345678")).doesNotContain("138");
        assertThat(event.traits().get("phone")).isEqualTo("138****5678");
        assertThat(cipher.open(TENANT, event.sealed().getFirst().ciphertext())).isEqualTo("+8613812345678");
        assertThat(new String(event.properties()) + new String(event.context())).doesNotContain("13812345678");
    }

    @Test
    void phoneHashesDifferBetweenTenants() {
        assertThat(cipher.blindIndex(new TenantId(1), "phone", "+8613812345678"))
                .isNotEqualTo(cipher.blindIndex(new TenantId(2), "phone", "+8613812345678"));
    }

    @Test
    void extractsMoneyInFenAndCategoriesFromProducts() {
        var outcome = normalise("""
                {"type":"track","userId":"u","event":"Order Completed","properties":{"order_id":"o9","total":"199.99",
                 "products":[{"category":"母婴"},{"category":"美妆"},{"category":"母婴"}]}}""");
        Event event = ((Normaliser.Outcome.Accepted) outcome).event();
        assertThat(event.revenueFen()).isEqualTo(19_999);
        assertThat(event.orderId()).isEqualTo("o9");
        assertThat(event.categories()).containsExactly("母婴", "美妆");
    }

    @Test
    void usesTheContactWayStateAsTheAcquisitionSource() {
        var outcome = normalise("""
                {"type":"track","event":"WeCom Contact Added","context":{"channel":"wecom","identities":{"wecom_external_userid":"wmABC"}},
                 "properties":{"external_userid":"wmABC","staff_id":"zhangsan","state":"live-stream"}}""");
        Event event = ((Normaliser.Outcome.Accepted) outcome).event();
        assertThat(event.source()).isEqualTo("live-stream");
        assertThat(event.channel()).isEqualTo("wecom");
        assertThat(event.identifiers()).containsExactly(new Identifier(IdentifierType.WECOM_EXTERNAL_USERID, "wmABC"));
    }

    @Test
    void namesEveryBrokenRule() {
        var outcome = normalise("""
                {"type":"track","userId":"%s","event":"Review Submitted","messageId":"","properties":{"rating":"five"},
                 "context":{"identities":{"passport":"x"}},"timestamp":"soon"}""".formatted("u".repeat(300)));
        var rejected = (Normaliser.Outcome.Rejected) outcome;
        assertThat(rejected.violations()).extracting(v -> v.field() + "/" + v.rule()).contains(
                "messageId/length", "properties.rating/type", "userId/length", "context.identities.passport/enum",
                "timestamp/format");
    }

    @Test
    void replacesHalfSurrogatePairsInTraitsSoTheLogKeepsWhatWasSent() {
        var outcome = normalise("{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"nick\":\"a\\ud83d b 😀\"}}");
        Event event = ((Normaliser.Outcome.Accepted) outcome).event();
        assertThat(event.traits().get("nick")).isEqualTo("a\uFFFD b 😀");
        Event decoded = io.siyu.engine.EventCodec.decode(3, 1, io.siyu.engine.EventCodec.encode(event));
        assertThat(decoded.traits().get("nick")).isEqualTo("a\uFFFD b 😀");
    }

    @Property(tries = 500)
    void neverThrowsOnArbitraryMessages(@ForAll("messages") JsonNode message) {
        var outcome = normaliser.normalise(TENANT, message, null, "batch[0]", now, null, "http");
        assertThat(outcome).isNotNull();
    }

    @Provide
    Arbitrary<JsonNode> messages() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("track", "identify", "alias", "group", "page", "Order Completed", "13812345678", "a@b.cn",
                        "2026-11-25T10:00:00Z", "", "\u0000", "𠀀"));
        Arbitrary<Object> values = Arbitraries.oneOf(strings.map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.just(null), Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<String> keys = Arbitraries.of("type", "userId", "anonymousId", "event", "messageId", "timestamp", "sentAt",
                "previousId", "groupId", "name", "properties", "traits", "context");
        return Arbitraries.maps(keys, values).ofMaxSize(8).map(map -> {
            ObjectNode node = json.createObjectNode();
            map.forEach((k, v) -> {
                if (v == null) {
                    node.putNull(k);
                } else if (k.equals("properties") || k.equals("traits")) {
                    node.putObject(k).put("order_id", v.toString()).put("phone", v.toString()).put("total", v.toString());
                } else if (k.equals("context")) {
                    node.putObject(k).putObject("identities").put("phone", v.toString()).put("email", v.toString());
                } else {
                    node.set(k, json.valueToTree(v));
                }
            });
            return node;
        });
    }
}
