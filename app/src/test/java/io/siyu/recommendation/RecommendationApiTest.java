package io.siyu.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.compliance.ProductSuitability;
import io.siyu.engine.Engine;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import io.siyu.privacy.AuditLog;
import io.siyu.privacy.Personalisation;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Recommendations end to end: consent decides the variant, suitability filters both, per tenant. */
class RecommendationApiTest extends ApiTest {

    @Autowired
    Engine engine;

    @Autowired
    Personalisation personalisation;

    @Autowired
    ProductSuitability suitability;

    @Autowired
    AuditLog audit;

    @Test
    void aConsentingPersonGetsWhatTheyLeftInTheCartThenTheirCategoryAndNeverWhatTheyBought() {
        Brand brand = newBrand();
        shop(brand);
        // the shopper: likes 护发, left the conditioner in the cart, viewed a mask twice, bought the shampoo
        track(brand, "fan", "Product Viewed", "{\"product_id\":\"mask\",\"category\":\"护发\",\"name\":\"发膜\"}");
        track(brand, "fan", "Product Viewed", "{\"product_id\":\"mask\",\"category\":\"护发\"}");
        track(brand, "fan", "Product Added", "{\"product_id\":\"conditioner\",\"category\":\"护发\",\"name\":\"护发素\"}");
        track(brand, "fan", "Order Completed", "{\"order_id\":\"o-fan\",\"total\":59,\"products\":[{\"product_id\":\"shampoo\",\"category\":\"护发\"}]}");

        JsonNode answer = body(get("/api/v1/profiles/" + id(brand, "fan") + "/recommendations?limit=5", brand));
        assertThat(answer.path("personalised").asBoolean()).isTrue();
        assertThat(answer.path("reason").asString()).isEqualTo("consent:personalisation=all");
        assertThat(products(answer)).startsWith("conditioner", "mask").doesNotContain("shampoo").hasSize(5);
        assertThat(reasons(answer)).startsWith("in-cart", "viewed");
        assertThat(answer.path("items").get(0).path("name").asString()).isEqualTo("护发素");
        // after the mask and conditioner, the preferred category's best seller comes before the other categories'
        assertThat(products(answer).get(2)).isEqualTo("oil");
        assertThat(reasons(answer).get(2)).isEqualTo("category:护发");
        assertThat(reasons(answer).subList(3, 5)).containsOnly("popular");

        // buying the conditioner takes it off the list
        track(brand, "fan", "Order Completed", "{\"order_id\":\"o-fan-2\",\"products\":[{\"product_id\":\"conditioner\"}]}");
        assertThat(products(body(get("/api/v1/profiles/" + id(brand, "fan") + "/recommendations", brand))))
                .doesNotContain("conditioner", "shampoo").contains("mask");
    }

    @Test
    void withoutFullConsentTheFallbackIsChosenAndThePersonalisedListIsNeverComputed() {
        Brand brand = newBrand();
        shop(brand);
        track(brand, "careful", "Product Added", "{\"product_id\":\"conditioner\",\"category\":\"护发\"}");
        track(brand, "careful", "Consent Updated", "{\"purpose\":\"personalisation\",\"consent\":\"necessary_only\"}");
        track(brand, "refuser", "Product Added", "{\"product_id\":\"conditioner\",\"category\":\"护发\"}");
        track(brand, "refuser", "Consent Updated", "{\"purpose\":\"personalisation\",\"consent\":\"refused\"}");
        track(brand, "willing", "Product Added", "{\"product_id\":\"conditioner\",\"category\":\"护发\"}");

        JsonNode careful = body(get("/api/v1/profiles/" + id(brand, "careful") + "/recommendations?limit=3", brand));
        assertThat(careful.path("personalised").asBoolean()).isFalse();
        assertThat(careful.path("reason").asString()).isEqualTo("consent:personalisation=necessary_only");
        // the best sellers (orders weigh 5, adds 2, views 1; ties in order of first sight), whatever the person did
        assertThat(products(careful)).containsExactly("tv", "shampoo", "conditioner");
        assertThat(reasons(careful)).containsOnly("popular");
        JsonNode refuser = body(get("/api/v1/profiles/" + id(brand, "refuser") + "/recommendations?limit=3", brand));
        assertThat(refuser.path("reason").asString()).isEqualTo("consent:personalisation=refused");
        assertThat(products(refuser)).isEqualTo(products(careful));

        AtomicInteger personal = new AtomicInteger();
        AtomicInteger popular = new AtomicInteger();
        Recommendations.Source engineSource = new Recommendations.EngineSource(engine);
        Recommendations counted = new Recommendations(new Recommendations.Source() {
            @Override
            public int canonical(TenantId tenant, PersonId person) {
                return engineSource.canonical(tenant, person);
            }

            @Override
            public List<Recommendation.Item> personal(TenantId tenant, int person, int max) {
                personal.incrementAndGet();
                return engineSource.personal(tenant, person, max);
            }

            @Override
            public List<Recommendation.Item> popular(TenantId tenant, int max) {
                popular.incrementAndGet();
                return engineSource.popular(tenant, max);
            }
        }, personalisation, suitability);
        TenantId tenant = brand.tenant().id();
        assertThat(counted.forPerson(tenant, PersonId.parse(id(brand, "careful")), 3).orElseThrow().personalised()).isFalse();
        assertThat(counted.forPerson(tenant, PersonId.parse(id(brand, "refuser")), 3).orElseThrow().personalised()).isFalse();
        assertThat(personal).as("the personalised list of people without full consent").hasValue(0);
        assertThat(popular).hasValue(2);
        Recommendation willing = counted.forPerson(tenant, PersonId.parse(id(brand, "willing")), 3).orElseThrow();
        assertThat(willing.personalised()).isTrue();
        assertThat(willing.items().getFirst().productId()).isEqualTo("conditioner");
        assertThat(personal).hasValue(1);
        assertThat(popular).hasValue(2);
    }

    @Test
    void aFinancialProductAboveThePersonsRiskAssessmentIsNeverRecommended() {
        Brand brand = newBrand();
        assertThat(put("/api/v1/compliance/products/fund-r4", brand, "{\"riskLevel\":\"R4\",\"name\":\"股票基金\"}").statusCode())
                .isEqualTo(201);
        put("/api/v1/compliance/products/fund-r1", brand, "{\"riskLevel\":\"R1\",\"name\":\"货币基金\"}");
        // the R4 fund is the best seller, and both people looked at it
        for (int i = 0; i < 3; i++) {
            track(brand, "buyer-" + i, "Order Completed", "{\"order_id\":\"f-" + i + "\",\"products\":[{\"product_id\":\"fund-r4\",\"category\":\"基金\"}]}");
        }
        track(brand, "buyer-0", "Order Completed", "{\"order_id\":\"f-x\",\"products\":[{\"product_id\":\"fund-r1\",\"category\":\"基金\"}]}");
        track(brand, "book", "Product Viewed", "{\"product_id\":\"book\",\"category\":\"图书\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"cautious\",\"traits\":{\"risk_assessment\":\"C2\"}}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"bold\",\"traits\":{\"risk_assessment\":\"C5\"}}");
        for (String who : List.of("cautious", "bold")) {
            track(brand, who, "Product Added", "{\"product_id\":\"fund-r4\",\"category\":\"基金\"}");
        }
        track(brand, "careful-cautious", "Consent Updated", "{\"purpose\":\"personalisation\",\"consent\":\"refused\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"careful-cautious\",\"traits\":{\"risk_assessment\":\"C1\"}}");

        JsonNode cautious = body(get("/api/v1/profiles/" + id(brand, "cautious") + "/recommendations", brand));
        assertThat(cautious.path("personalised").asBoolean()).isTrue();
        assertThat(products(cautious)).doesNotContain("fund-r4").contains("fund-r1", "book");
        JsonNode bold = body(get("/api/v1/profiles/" + id(brand, "bold") + "/recommendations", brand));
        assertThat(products(bold).getFirst()).isEqualTo("fund-r4");
        assertThat(reasons(bold).getFirst()).isEqualTo("in-cart");
        // the fallback is filtered as well, and so is the list for visitors without a profile (no assessment: R1 only)
        JsonNode fallback = body(get("/api/v1/profiles/" + id(brand, "careful-cautious") + "/recommendations", brand));
        assertThat(fallback.path("personalised").asBoolean()).isFalse();
        assertThat(products(fallback)).containsExactly("fund-r1", "book");
        assertThat(ids(body(get("/api/v1/recommendations/popular", brand)).path("items")))
                .containsExactly("fund-r1", "book");
    }

    @Test
    void eachTenantSeesOnlyItsOwnProductsAndPeople() {
        Brand a = newBrand();
        Brand b = newBrand();
        shop(a);
        track(b, "b-1", "Product Viewed", "{\"product_id\":\"b-only\",\"category\":\"B\"}");
        assertThat(ids(body(get("/api/v1/recommendations/popular?limit=50", b)).path("items"))).containsExactly("b-only");
        assertThat(ids(body(get("/api/v1/recommendations/popular?limit=50", a)).path("items")))
                .doesNotContain("b-only").contains("tv");
        String personOfA = id(a, "buyer-1");
        HttpResponse<String> across = get("/api/v1/profiles/" + personOfA + "/recommendations", b);
        assertThat(across.statusCode()).isEqualTo(404);
        assertThat(across.body()).doesNotContain("tv");
    }

    @Test
    void aReadIsAuditedAgainstThePersonAndBadInputGetsProblems() {
        Brand brand = newBrand();
        shop(brand);
        String person = id(brand, "buyer-1");
        assertThat(get("/api/v1/profiles/" + person + "/recommendations?limit=2", brand).statusCode()).isEqualTo(200);
        audit.flush();
        assertThat(audit.about(brand.tenant().id(), person, 10)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("recommendations.read");
            assertThat(entry.detail()).contains("/recommendations");
        });

        HttpResponse<String> malformed = get("/api/v1/profiles/not-a-uuid/recommendations", brand);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("personId", "format");
        HttpResponse<String> hostile = get("/api/v1/profiles/%3Cscript%3E'%20OR%201=1/recommendations", brand);
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/profiles/" + PersonId.of(brand.tenant().id().value(), 999_999) + "/recommendations", brand)
                .statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/profiles/00000000-0000-0000-0000-000000000000/recommendations", brand).statusCode())
                .isEqualTo(404);
        for (String limit : List.of("0", "-1", "51", "100000")) {
            HttpResponse<String> bad = get("/api/v1/profiles/" + person + "/recommendations?limit=" + limit, brand);
            assertThat(bad.statusCode()).as("limit=" + limit).isEqualTo(400);
            assertThat(bad.body()).contains("limit", "range");
        }
        for (String limit : List.of("ten", "99999999999", "1e3")) {
            HttpResponse<String> bad = get("/api/v1/profiles/" + person + "/recommendations?limit=" + limit, brand);
            assertThat(bad.statusCode()).as("limit=" + limit).isEqualTo(400);
            assertThat(bad.body()).contains("limit", "integer");
        }
        assertThat(get("/api/v1/recommendations/popular?limit=0", brand).statusCode()).isEqualTo(400);
        // a repeated parameter is not a way around the bound
        HttpResponse<String> twice = get("/api/v1/profiles/" + person + "/recommendations?limit=2&limit=500", brand);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("limit", "duplicate");
    }

    @Test
    void anErasedPersonHasNoRecommendationsAndTheirProductsAreForgotten() {
        Brand brand = newBrand();
        track(brand, "leaving", "Product Added", "{\"product_id\":\"secret-gift\",\"category\":\"礼品\"}");
        String id = id(brand, "leaving");
        assertThat(products(body(get("/api/v1/profiles/" + id + "/recommendations", brand)))).containsExactly("secret-gift");
        assertThat(ids(body(get("/api/v1/recommendations/popular", brand)).path("items"))).containsExactly("secret-gift");

        assertThat(adminPost("/api/v1/privacy/people/" + id + "/erase", brand, "").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/profiles/" + id + "/recommendations", brand).statusCode()).isEqualTo(404);
        // the rebuild from the anonymised log holds no product of theirs, not even in the best sellers
        assertThat(ids(body(get("/api/v1/recommendations/popular", brand)).path("items"))).doesNotContain("secret-gift");
    }

    @Test
    void aMessageTemplateNamesThePersonsRecommendationsAndTheBestSellersWithoutConsent() throws InterruptedException {
        Brand brand = newBrand();
        shop(brand);
        for (String user : List.of("reader", "private")) {
            track(brand, user, "Product Added", "{\"product_id\":\"conditioner\",\"category\":\"护发\",\"name\":\"护发素\"}");
        }
        track(brand, "private", "Consent Updated", "{\"purpose\":\"personalisation\",\"consent\":\"refused\"}");
        assertThat(put("/api/v1/message-templates/picks", brand,
                "{\"channel\":\"inapp\",\"body\":\"为你推荐：{{recommended_products|热门好物}}\",\"marketing\":false}").statusCode())
                .isLessThan(300);
        for (String user : List.of("reader", "private")) {
            HttpResponse<String> sent = adminPost("/api/v1/messages", brand,
                    "{\"identifier\":\"user_id:" + user + "\",\"template\":\"picks\",\"idempotencyKey\":\"k-" + user + "\"}");
            assertThat(sent.statusCode()).as(sent.body()).isLessThan(300);
        }
        // the in-cart conditioner, then the best sellers of 护发 (named where the events named them)
        assertThat(inboxBody(brand, "reader")).isEqualTo("为你推荐：护发素、shampoo、护发精油");
        assertThat(inboxBody(brand, "private")).isEqualTo("为你推荐：tv、shampoo、护发精油");
    }

    private String inboxBody(Brand brand, String user) throws InterruptedException {
        String person = id(brand, user);
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode inbox;
        do {
            inbox = body(get("/api/v1/inbox/" + person, brand));
            if (inbox.path("items").size() > 0) {
                return inbox.path("items").get(0).path("body").asString();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("nothing reached the inbox of " + user + ": " + inbox);
    }

    /** Best sellers: tv (2 orders = 10), shampoo (1 order + 1 view = 6), oil (2 adds = 4), lamp (1 view). */
    private void shop(Brand brand) {
        track(brand, "buyer-1", "Order Completed", "{\"order_id\":\"o-1\",\"products\":[{\"product_id\":\"tv\",\"category\":\"家电\"}]}");
        track(brand, "buyer-2", "Order Completed", "{\"order_id\":\"o-2\",\"products\":[{\"product_id\":\"tv\",\"category\":\"家电\"}]}");
        track(brand, "buyer-3", "Order Completed", "{\"order_id\":\"o-3\",\"products\":[{\"product_id\":\"shampoo\",\"category\":\"护发\"}]}");
        track(brand, "buyer-3", "Product Viewed", "{\"product_id\":\"shampoo\",\"category\":\"护发\"}");
        track(brand, "buyer-4", "Product Added", "{\"product_id\":\"oil\",\"category\":\"护发\",\"name\":\"护发精油\"}");
        track(brand, "buyer-5", "Product Added", "{\"product_id\":\"oil\",\"category\":\"护发\"}");
        track(brand, "buyer-5", "Product Viewed", "{\"product_id\":\"lamp\",\"category\":\"家居\"}");
    }

    private void track(Brand brand, String user, String event, String properties) {
        HttpResponse<String> sent = post("/v1/track", brand.writeKey(),
                "{\"userId\":\"" + user + "\",\"event\":\"" + event + "\",\"properties\":" + properties + "}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    }

    private String id(Brand brand, String user) {
        return profile(brand, "user_id:" + user).path("id").asString();
    }

    private static List<String> products(JsonNode answer) {
        return ids(answer.path("items"));
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("productId").asString()));
        return ids;
    }

    private static List<String> reasons(JsonNode answer) {
        List<String> reasons = new ArrayList<>();
        answer.path("items").forEach(item -> reasons.add(item.path("reason").asString()));
        return reasons;
    }

    private HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
