package io.siyu.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductMentionsTest {

    private static List<ProductMentions.Mention> of(String json) {
        return ProductMentions.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheProductOfAProductEventAndTheLinesOfAnOrder() {
        assertThat(of("{\"price\":9.9,\"product_id\":\"p-1\",\"category\":\" 美妆 \",\"name\":\"口红\",\"extra\":{\"product_id\":\"no\"}}"))
                .containsExactly(new ProductMentions.Mention("p-1", "美妆", "口红"));
        assertThat(of("{\"order_id\":\"o\",\"products\":[{\"product_id\":\"a\",\"category\":\"c\"},{\"sku\":\"x\"},{\"product_id\":42}],\"total\":1}"))
                .containsExactly(new ProductMentions.Mention("a", "c", null), new ProductMentions.Mention("42", null, null));
    }

    @Test
    void hostileOrMalformedBodiesNameNoProductAndNeverThrow() {
        assertThat(of("")).isEmpty();
        assertThat(of("[1,2]")).isEmpty();
        assertThat(of("{\"product_id\":")).isEmpty();
        assertThat(of("{\"product_id\":\"p\"")).as("truncated before the end of the object").isEmpty();
        assertThat(of("not json")).isEmpty();
        assertThat(of("{\"product_id\":{\"nested\":\"p\"},\"category\":[\"a\"],\"name\":7}")).isEmpty();
        assertThat(of("{\"product_id\":\"   \"}")).isEmpty();
        assertThat(of("{\"product_id\":\"" + "x".repeat(65) + "\"}")).as("longer than an id").isEmpty();
        assertThat(of("{\"products\":\"p\",\"product_id\":1.5}")).isEmpty();
        assertThat(of("{\"products\":[[{\"product_id\":\"deep\"}],\"s\",null,{\"product_id\":\"ok\",\"name\":\"" + "名".repeat(500) + "\"}]}"))
                .singleElement().satisfies(m -> {
                    assertThat(m.productId()).isEqualTo("ok");
                    assertThat(m.name()).hasSize(ProductMentions.MAX_NAME);
                });
    }

    @Test
    void aHugeOrderIsCappedAndDuplicateLinesAreKept() {
        StringBuilder order = new StringBuilder("{\"products\":[");
        for (int i = 0; i < 1_000; i++) {
            order.append(i == 0 ? "" : ",").append("{\"product_id\":\"p-").append(i % 3).append("\"}");
        }
        List<ProductMentions.Mention> mentions = of(order.append("]}").toString());
        assertThat(mentions).hasSize(ProductMentions.MAX_PER_EVENT);
        assertThat(mentions.subList(0, 4)).extracting(ProductMentions.Mention::productId).containsExactly("p-0", "p-1", "p-2", "p-0");
    }

    /** The scanner agrees with the Jackson reading it replaced, on real event bodies and on broken ones. */
    @Test
    void agreesWithTheJacksonReadingOnGeneratedAndBrokenBodies() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String[] values = {"\"p-1\"", "42", "-7", "1.5", "1e3", "007", "true", "null", "{}", "[]", "{\"product_id\":\"in\"}",
            "[\"x\",{\"a\":[1,2,{}]}]", "\"  \"", "\"口红\"", "\"a\\\"b\\\\c\\u4e2d\\n\"", "\"\\ud83d\\ude00\"", "\"" + "x".repeat(70) + "\""};
        String[] keys = {"product_id", "category", "name", "products", "price", "sku", "order_id"};
        int compared = 0;
        for (int n = 0; n < 5_000; n++) {
            StringBuilder json = new StringBuilder("{");
            int members = random.nextInt(6);
            for (int m = 0; m < members; m++) {
                String key = keys[random.nextInt(keys.length)];
                json.append(m == 0 ? "" : ",").append(random.nextBoolean() ? " " : "").append('"').append(key).append("\":");
                if (key.equals("products") && random.nextInt(3) > 0) {
                    json.append('[');
                    int items = random.nextInt(4);
                    for (int k = 0; k < items; k++) {
                        json.append(k == 0 ? "" : ",");
                        if (random.nextInt(4) == 0) {
                            json.append(values[random.nextInt(values.length)]);
                        } else {
                            json.append('{');
                            int fields = random.nextInt(4);
                            for (int f = 0; f < fields; f++) {
                                json.append(f == 0 ? "" : ",").append('"').append(keys[random.nextInt(3)]).append("\":")
                                        .append(values[random.nextInt(values.length)]);
                            }
                            json.append('}');
                        }
                    }
                    json.append(']');
                } else {
                    json.append(values[random.nextInt(values.length)]);
                }
            }
            json.append('}');
            String body = json.toString();
            if (body.contains("007")) {
                continue; // Jackson refuses leading zeros; the scanner reads them as the integer's text
            }
            for (String variant : new String[] {body, body.substring(0, random.nextInt(body.length() + 1))}) {
                byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
                assertThat(ProductMentions.of(bytes)).as(variant).isEqualTo(JacksonProductMentions.of(bytes));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(8_000);
    }
}
