package io.siyu.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.engine.Engine;
import io.siyu.identity.Identifier;
import io.siyu.platform.Tenant;
import io.siyu.platform.Tenants;
import io.siyu.profile.Profile;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@SpringBootTest(properties = {
    "siyu.data-dir=target/test-data/${random.uuid}",
    "siyu.admin-token=test-admin",
    "siyu.demo.enabled=true",
    "siyu.demo.people=1000",
    "siyu.demo.events=20000"})
class DemoBrandTest {

    @Autowired
    Tenants tenants;

    @Autowired
    Engine engine;

    @Autowired
    ProfileDirectory profiles;

    @Autowired
    JsonMapper json;

    /** What the demo tenant's state holds, gathered on the partition thread. */
    record Census(long applied, int people, int withOrders, int withRefunds, int merged, int withPhone,
            Set<String> sources, Set<String> channels, String buyer) {}

    @Test
    void loadsPeopleWithOrdersMergesAndWeComSourcesOnStartup() {
        Tenant demo = tenants.findBySlug("demo").orElseThrow();
        long now = engine.clock().millis();
        Census census = engine.query(demo.id().value(), state -> {
            int withOrders = 0, withRefunds = 0, merged = 0, withPhone = 0;
            String buyer = null;
            Set<String> sources = new HashSet<>();
            Set<String> channels = new HashSet<>();
            for (int person = 0; person < state.graph().size(); person++) {
                if (state.graph().isMerged(person)) {
                    merged++;
                    continue;
                }
                Profile profile = state.profile(person);
                if (profile == null) {
                    continue;
                }
                ProfileView view = state.view(person, now);
                if (profile.orderCount() > 0) {
                    withOrders++;
                    if (buyer == null && view.identities().stream().anyMatch(i -> i.startsWith("user_id:"))) {
                        buyer = view.identities().stream().filter(i -> i.startsWith("user_id:")).findFirst().orElseThrow();
                    }
                }
                if (profile.refundCount() > 0) {
                    withRefunds++;
                }
                if (view.traits().containsKey("phone")) {
                    withPhone++;
                }
                if (view.stats().sourceOfOrigin() != null) {
                    sources.add(view.stats().sourceOfOrigin());
                }
                if (view.stats().channelOfOrigin() != null) {
                    channels.add(view.stats().channelOfOrigin());
                }
            }
            return new Census(state.applied(), state.people(), withOrders, withRefunds, merged, withPhone, sources,
                    channels, buyer);
        }).join();

        assertThat(census.applied()).isEqualTo(20_000);
        assertThat(census.people()).isEqualTo(1_000);
        assertThat(census.withOrders()).isGreaterThan(20);
        assertThat(census.withRefunds()).isPositive();
        assertThat(census.merged()).as("anonymous visitors and WeCom contacts who later identified").isGreaterThan(100);
        assertThat(census.withPhone()).isGreaterThan(100);
        assertThat(census.sources()).contains("douyin-ad", "store-qr", "live-stream");
        assertThat(census.channels()).contains("web", "app", "miniprogram", "wecom");

        ProfileView buyer = profiles.find(demo.id(), Identifier.parse(census.buyer())).orElseThrow();
        assertThat(buyer.stats().orderCount()).isPositive();
        assertThat(buyer.identities()).anyMatch(i -> i.startsWith("anonymous_id:"));
        assertThat(buyer.traits()).containsKeys("name", "gender", "city", "birthday");
    }

    @Test
    void generatesTheSamePersonWhicheverOrderPeopleAreGenerated() {
        SyntheticBrand a = new SyntheticBrand(DemoBrand.SEED, 1_000, 20_000, 1_795_000_000_000L, json);
        SyntheticBrand b = new SyntheticBrand(DemoBrand.SEED, 1_000, 20_000, 1_795_000_000_000L, json);
        b.messagesOf(3);
        List<ObjectNode> first = a.messagesOf(7);
        assertThat(b.messagesOf(7)).isEqualTo(first);
        long total = 0;
        for (int person = 0; person < a.people(); person++) {
            total += a.messagesOf(person).size();
        }
        assertThat(total).isEqualTo(20_000);
    }

    @Test
    void spreadsProductViewsLikeZipf() {
        SyntheticBrand brand = new SyntheticBrand(DemoBrand.SEED, 1_000, 20_000, 1_795_000_000_000L, json);
        int[] views = new int[SyntheticBrand.PRODUCTS];
        int total = 0;
        for (int person = 0; person < brand.people(); person++) {
            for (ObjectNode m : brand.messagesOf(person)) {
                if ("Product Viewed".equals(m.path("event").asString(""))) {
                    views[Integer.parseInt(m.path("properties").path("product_id").asString().substring(1))]++;
                    total++;
                }
            }
        }
        int[] sorted = java.util.Arrays.stream(views).sorted().toArray();
        int top20 = 0;
        for (int i = sorted.length - 20; i < sorted.length; i++) {
            top20 += sorted[i];
        }
        assertThat(top20).as("the top 1% of products draw a large share of views").isGreaterThan(total / 8);
    }
}
