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
}
