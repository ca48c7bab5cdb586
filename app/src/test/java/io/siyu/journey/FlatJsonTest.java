package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The hand-written JSON of a step's flat maps must read back, through Jackson, as the map it was written from. */
class FlatJsonTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Characters that need escaping or are easy to get wrong, mixed into random text. */
    private static final String HARD = "\"\\/\n\r\t\b\f\u0001\u001f\u007f\u2028\u00e9会员礼上海😀 {}[]:,";

    @Test
    void randomFlatMapsReadBackAsWritten() {
        Random random = new Random(20261204);
        for (int round = 0; round < 5_000; round++) {
            Map<String, Object> map = new LinkedHashMap<>();
            int size = random.nextInt(6);
            for (int i = 0; i < size; i++) {
                Object value = switch (random.nextInt(6)) {
                    case 0 -> null;
                    case 1 -> random.nextBoolean();
                    case 2 -> random.nextInt();
                    case 3 -> random.nextLong();
                    default -> text(random);
                };
                map.put(text(random), value);
            }
            byte[] written = FlatJson.bytes(map, json);
            assertThat(json.readValue(written, MAP)).as(new String(written, StandardCharsets.UTF_8)).isEqualTo(normalised(map));
            assertThat(FlatJson.text(map, json)).isEqualTo(new String(written, StandardCharsets.UTF_8));
        }
    }

    @Test
    void controlCharactersAreEscapedNotWritten() {
        String text = FlatJson.text(Map.of("k", "a\u0000b\u001fc\"d\\e"), json);
        assertThat(text).isEqualTo("{\"k\":\"a\\u0000b\\u001fc\\\"d\\\\e\"}");
        assertThat(text.chars().noneMatch(c -> c < 0x20)).isTrue();
    }

    @Test
    void nestedValuesAndFractionsGoThroughJackson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("price", 19.9);
        map.put("items", List.of("a", "b"));
        map.put("nested", Map.of("x", 1));
        assertThat(json.readValue(FlatJson.bytes(map, json), MAP)).isEqualTo(map);
        assertThat(FlatJson.text(Map.of(), json)).isEqualTo("{}");
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            if (random.nextInt(3) == 0) {
                s.appendCodePoint(HARD.codePointAt(HARD.offsetByCodePoints(0, random.nextInt(HARD.codePointCount(0, HARD.length())))));
            } else {
                s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    /** Jackson reads whole numbers back as the smallest type that holds them. */
    private static Map<String, Object> normalised(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : v));
        return out;
    }
}
