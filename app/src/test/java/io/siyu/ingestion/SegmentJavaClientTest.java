package io.siyu.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import io.siyu.support.ApiTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Drives Siyu with the unmodified Segment Java library, as an existing integration would. */
class SegmentJavaClientTest extends ApiTest {

    @Test
    void theUnmodifiedSegmentJavaClientDeliversToSiyu() throws Exception {
        Brand brand = newBrand();
        int messages = 203;
        CountDownLatch delivered = new CountDownLatch(messages);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Analytics analytics = Analytics.builder(brand.writeKey())
                .endpoint(url(""))
                .flushQueueSize(50)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(message.messageId() + ": " + throwable);
                        delivered.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(IdentifyMessage.builder().anonymousId("seg-anon").userId("seg-user")
                    .traits(Map.of("name", "王五", "city", "上海", "age", 31)));
            analytics.enqueue(PageMessage.builder("商品详情").userId("seg-user"));
            for (int i = 0; i < 200; i++) {
                analytics.enqueue(TrackMessage.builder("Product Viewed").userId("seg-user")
                        .properties(Map.of("product_id", "p-" + i, "category", i % 2 == 0 ? "母婴" : "美妆", "price", 10 + i)));
            }
            analytics.enqueue(TrackMessage.builder("Order Completed").userId("seg-user")
                    .properties(Map.of("order_id", "seg-o-1", "total", 299.0, "products", List.of(Map.of("category", "母婴")))));
            analytics.flush();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).as("all messages answered").isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();
        JsonNode profile = profile(brand, "user_id:seg-user");
        assertThat(profile.path("identities").toString()).contains("anonymous_id:seg-anon");
        assertThat(profile.path("traits").path("name").asString()).isEqualTo("王五");
        assertThat(profile.path("stats").path("eventCounts").path("Product Viewed").asInt()).isEqualTo(200);
        assertThat(profile.path("stats").path("orderCount").asInt()).isEqualTo(1);
        assertThat(profile.path("stats").path("categoryPreference").get(0).path("category").asString()).isEqualTo("母婴");
    }
}
