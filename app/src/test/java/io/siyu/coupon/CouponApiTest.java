package io.siyu.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionRequest;
import io.siyu.identity.PersonId;
import io.siyu.support.ApiTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class CouponApiTest extends ApiTest {

    @Autowired CouponDesk desk;
    @Autowired CouponSweeper sweeper;
    @Autowired CouponAction action;
    @Autowired JdbcClient jdbc;
    @Autowired Clock clock;

    private void template(Brand brand, String body) {
        var created = adminPost("/api/v1/coupon-templates", brand, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    private JsonNode awaitEvent(Brand brand, String identifier, String event, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode profile = profile(brand, identifier);
        while (profile.path("stats").path("eventCounts").path(event).asInt() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(identifier + " never had " + count + " '" + event + "': " + profile);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            profile = profile(brand, identifier);
        }
        return profile;
    }

    @Test
    void tenThousandConcurrentClaimsOnAStockOfOneThousandIssueExactlyOneThousand() throws Exception {
        Brand brand = newBrand();
        template(brand, "{\"id\":\"flash\",\"name\":\"秒杀 10元无门槛\",\"kind\":\"FIXED\",\"amountFen\":1000,\"totalStock\":1000,"
                + "\"perPersonLimit\":1,\"validForHours\":24}");
        int claimers = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < claimers; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    start.await();
                    var outcome = desk.issue(brand.tenant().id(), PersonId.of(brand.tenant().id().value(), n), "user_id:flash-" + n,
                            "flash", true, null, CouponDesk.Signals.NONE);
                    outcomes.merge(outcome instanceof CouponDesk.Outcome.Issued ? "issued"
                            : ((CouponDesk.Outcome.Refused) outcome).reason(), 1, Integer::sum);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(outcomes).containsOnly(Map.entry("issued", 1_000), Map.entry("stock:sold-out", 9_000));
        assertThat(jdbc.sql("SELECT count(*), count(DISTINCT serial), min(serial), max(serial) FROM coupons WHERE tenant_id = ? AND template_id = 'flash'")
                .param(brand.tenant().id().value()).query((rs, row) -> List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).single())
                .containsExactly(1_000, 1_000, 1, 1_000);
        assertThat(body(get("/api/v1/coupon-templates/flash", brand)).path("remaining").asInt()).isZero();
    }

    @Test
    void aClaimByEMailAddressKeepsOnlyTheAddressesBlindIndexOnTheCoupon() {
        Brand brand = newBrand();
        assertThat(post("/v1/identify", brand.writeKey(), "{\"userId\":\"mail-1\",\"traits\":{\"email\":\"Li.Lei@Example.cn\"}}")
                .statusCode()).isEqualTo(200);
        template(brand, "{\"id\":\"mail\",\"name\":\"邮件券\",\"kind\":\"FIXED\",\"amountFen\":500,\"totalStock\":10,"
                + "\"perPersonLimit\":1,\"validForHours\":24}");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (get("/api/v1/profiles?identifier=user_id:mail-1", brand).statusCode() != 200) {
            assertThat(System.nanoTime()).as("the profile never appeared").isLessThan(deadline);
            Thread.onSpinWait();
        }
        var claimed = adminPost("/api/v1/coupon-templates/mail/claim", brand, "{\"identifier\":\"email:li.lei@example.cn\"}");
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        String stored = jdbc.sql("SELECT identifier FROM coupons WHERE tenant_id = ? AND code = ?")
                .params(brand.tenant().id().value(), body(claimed).path("code").asString()).query(String.class).single();
        assertThat(stored).startsWith("email:").doesNotContain("@").doesNotContainIgnoringCase("li.lei");
        assertThat(body(get("/api/v1/coupons?identifier=email:li.lei@example.cn", brand)).size()).isEqualTo(1);
    }

    @Test
    void claimsRedeemsOnceAgainstAnOrderAndEachStepIsAnEvent() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c-1\"}");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c-2\"}");
        template(brand, "{\"id\":\"mj199\",\"name\":\"满199减50\",\"kind\":\"THRESHOLD\",\"amountFen\":5000,\"thresholdFen\":19900,"
                + "\"totalStock\":100,\"perPersonLimit\":1,\"validForHours\":24}");
        JsonNode claimed = body(adminPost("/api/v1/coupon-templates/mj199/claim", brand, "{\"identifier\":\"user_id:c-1\"}"));
        String code = claimed.path("code").asString();
        assertThat(code).hasSize(12);
        var again = adminPost("/api/v1/coupon-templates/mj199/claim", brand, "{\"identifier\":\"user_id:c-1\"}");
        assertThat(body(again).path("errors").get(0).path("message").asString()).contains("per-person limit");
        awaitEvent(brand, "user_id:c-1", "Coupon Claimed", 1);

        String cart = "{\"lines\":[{\"productId\":\"dress\",\"category\":\"女装\",\"unitPriceFen\":12900,\"quantity\":2}],\"shippingFen\":800,\"freeShippingOverFen\":9900}";
        JsonNode quote = body(adminPost("/api/v1/checkout/quote", brand, "{\"identifier\":\"user_id:c-1\",\"cart\":" + cart + "}"));
        assertThat(quote.path("couponCode").asString()).isEqualTo(code);
        assertThat(quote.path("totalFen").asLong()).isEqualTo(25_800 - 5_000);

        var notYours = adminPost("/api/v1/coupons/" + code + "/redeem", brand, "{\"identifier\":\"user_id:c-2\",\"orderId\":\"SO-1\",\"cart\":" + cart + "}");
        assertThat(body(notYours).path("errors").get(0).path("rule").asString()).isEqualTo("not-yours");
        String small = "{\"lines\":[{\"productId\":\"sock\",\"unitPriceFen\":1900,\"quantity\":1}]}";
        var tooSmall = adminPost("/api/v1/coupons/" + code + "/redeem", brand, "{\"identifier\":\"user_id:c-1\",\"orderId\":\"SO-0\",\"cart\":" + small + "}");
        assertThat(body(tooSmall).path("errors").get(0).path("rule").asString()).isEqualTo("not-applicable");
        JsonNode redeemed = body(adminPost("/api/v1/coupons/" + code + "/redeem", brand, "{\"identifier\":\"user_id:c-1\",\"orderId\":\"SO-1\",\"cart\":" + cart + "}"));
        assertThat(redeemed.path("discountFen").asLong()).isEqualTo(5_000);
        var sameOrder = adminPost("/api/v1/coupons/" + code + "/redeem", brand, "{\"identifier\":\"user_id:c-1\",\"orderId\":\"SO-1\",\"cart\":" + cart + "}");
        assertThat(sameOrder.statusCode()).isEqualTo(200);
        var otherOrder = adminPost("/api/v1/coupons/" + code + "/redeem", brand, "{\"identifier\":\"user_id:c-1\",\"orderId\":\"SO-2\",\"cart\":" + cart + "}");
        assertThat(body(otherOrder).path("errors").get(0).path("rule").asString()).isEqualTo("redeemed");
        awaitEvent(brand, "user_id:c-1", "Coupon Redeemed", 1);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:c-1", brand)).get(0).path("status").asString()).isEqualTo("REDEEMED");
    }

    @Autowired CouponTemplates couponTemplates;

    @Test
    void aClaimBatchLeftOwingByAnEarlierVersionIsRecordedOnceByTheSweeper() {
        Brand brand = newBrand();
        template(brand, "{\"id\":\"owed\",\"name\":\"补记券\",\"kind\":\"FIXED\",\"amountFen\":500,\"totalStock\":10,"
                + "\"perPersonLimit\":1,\"validForHours\":24}");
        java.sql.Timestamp now = java.sql.Timestamp.from(clock.instant());
        String code = CouponDesk.code();
        int tenant = brand.tenant().id().value();
        // what a writer of an earlier version left when the log was away: the coupon stored, its owed batch not deleted
        jdbc.sql("""
                INSERT INTO coupons (tenant_id, code, template_id, serial, stock, person_id, identifier, status, issued_at, expires_at)
                VALUES (?, ?, 'owed', 1, 10, ?, 'user_id:owed-1', 'ISSUED', ?, ?)""")
                .params(tenant, code, PersonId.of(tenant, 424242).value(), now, java.sql.Timestamp.from(now.toInstant().plus(Duration.ofDays(1))))
                .update();
        long batch = jdbc.sql("INSERT INTO coupon_owed_batches (tenant_ids, codes, events) VALUES (?::int[], ?::text[], ?::text[]) RETURNING id")
                .params("{" + tenant + "}", "{" + code + "}", "{\"Coupon Claimed\"}").query(Long.class).single();
        sweeper.sweep(clock.instant()); // too young: perhaps still its writer's
        assertThat(jdbc.sql("SELECT count(*) FROM coupon_owed_batches WHERE id = ?").param(batch).query(Integer.class).single()).isOne();
        sweeper.sweep(clock.instant().plus(Duration.ofMinutes(2)));
        awaitEvent(brand, "user_id:owed-1", "Coupon Claimed", 1);
        assertThat(jdbc.sql("SELECT count(*) FROM coupon_owed_batches WHERE id = ?").param(batch).query(Integer.class).single()).isZero();
        sweeper.sweep(clock.instant().plus(Duration.ofMinutes(3)));
        assertThat(profile(brand, "user_id:owed-1").path("stats").path("eventCounts").path("Coupon Claimed").asInt()).isOne();
    }

    @Autowired CouponEvents couponEvents;
    @Autowired io.siyu.ingestion.Normaliser normaliser;

    @Test
    void aNewCouponsEventIsExactlyTheEventTheIntakeWouldHaveLogged() {
        Brand brand = newBrand();
        template(brand, "{\"id\":\"same\",\"name\":\"同一事件\",\"kind\":\"FIXED\",\"amountFen\":500,\"totalStock\":10,\"validForHours\":24}");
        CouponTemplate template = couponTemplates.find(brand.tenant().id(), "same").orElseThrow();
        java.time.Instant now = clock.instant();
        long at = now.toEpochMilli();
        for (String identifier : List.of("user_id:同一-1", "openid:wx-app:o-42", "wecom_external_userid:wm-7", "anonymous_id:a b")) {
            Coupons.NewCoupon coupon = new Coupons.NewCoupon(brand.tenant().id(), CouponDesk.code(), template, 1,
                    PersonId.of(brand.tenant().id().value(), 7), identifier, now, now.plus(Duration.ofDays(1)), "Coupon Claimed",
                    null, null, null, null);
            io.siyu.engine.Event direct = couponEvents.event(coupon, at);
            var normalised = normaliser.normalise(brand.tenant().id(), couponEvents.message(new Coupons.Owed(brand.tenant().id(),
                    coupon.code(), "same", identifier, "Coupon Claimed", null, null)), null, "coupon", at, null, "coupon");
            io.siyu.engine.Event expected = ((io.siyu.ingestion.Normaliser.Outcome.Accepted) normalised).event();
            assertThat(direct).usingRecursiveComparison().isEqualTo(expected);
            assertThat(new String(direct.properties(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"coupon_id\":\"" + coupon.code() + "\",\"template_id\":\"same\"}");
        }
        Coupons.NewCoupon hostile = new Coupons.NewCoupon(brand.tenant().id(), CouponDesk.code(), template, 1,
                PersonId.of(brand.tenant().id().value(), 8), "user_id:" + "x".repeat(300), now, now.plus(Duration.ofDays(1)),
                "Coupon Claimed", null, null, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> couponEvents.event(hostile, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quarantined");
    }

    @Test
    void concurrentIssuesWithOneActionIdStoreOneCouponAndAllAnswerWithIt() throws Exception {
        Brand brand = newBrand();
        template(brand, "{\"id\":\"once\",\"name\":\"一次\",\"kind\":\"FIXED\",\"amountFen\":500,\"totalStock\":100,"
                + "\"perPersonLimit\":50,\"validForHours\":24}");
        PersonId person = PersonId.of(brand.tenant().id().value(), 99);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<CouponDesk.Outcome>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return desk.issue(brand.tenant().id(), person, "user_id:once-1", "once", false, "journey:once/n1/p99",
                            CouponDesk.Signals.NONE);
                }));
            }
            // a batch of other people's claims alongside: a repeated action id must not fail them
            List<Future<CouponDesk.Outcome>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                others.add(threads.submit(() -> {
                    start.await();
                    return desk.issue(brand.tenant().id(), PersonId.of(brand.tenant().id().value(), 1_000 + n), "user_id:other-" + n,
                            "once", true, null, CouponDesk.Signals.NONE);
                }));
            }
            start.countDown();
            java.util.Set<String> codes = new java.util.HashSet<>();
            for (Future<CouponDesk.Outcome> f : outcomes) {
                codes.add(((CouponDesk.Outcome.Issued) f.get()).code());
            }
            assertThat(codes).hasSize(1);
            for (Future<CouponDesk.Outcome> f : others) {
                assertThat(f.get()).isInstanceOf(CouponDesk.Outcome.Issued.class);
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM coupons WHERE tenant_id = ? AND template_id = 'once'")
                .param(brand.tenant().id().value()).query(Integer.class).single()).isEqualTo(21);
        assertThat(desk.remaining(brand.tenant().id(), couponTemplates.find(brand.tenant().id(), "once").orElseThrow())).isEqualTo(79);
        awaitEvent(brand, "user_id:once-1", "Coupon Issued", 1);
        awaitEvent(brand, "user_id:other-7", "Coupon Claimed", 1);
    }

    @Test
    void relativeValidityExpiresAfterTwentyFourHoursAndVoidedCouponsCannotBeUsed() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"e-1\"}");
        template(brand, "{\"id\":\"day\",\"name\":\"24小时券\",\"kind\":\"PERCENT\",\"percentOff\":10,\"totalStock\":10,"
                + "\"perPersonLimit\":2,\"validForHours\":24}");
        String first = body(adminPost("/api/v1/coupon-templates/day/issue", brand, "{\"identifiers\":[\"user_id:e-1\",\"user_id:nobody\"]}"))
                .path("results").get(0).path("code").asString();
        JsonNode second = body(adminPost("/api/v1/coupon-templates/day/issue", brand, "{\"identifiers\":[\"user_id:e-1\"]}"));
        String secondCode = second.path("results").get(0).path("code").asString();
        awaitEvent(brand, "user_id:e-1", "Coupon Issued", 2);
        assertThat(adminPost("/api/v1/coupons/" + secondCode + "/void", brand, "").statusCode()).isEqualTo(200);
        assertThat(adminPost("/api/v1/coupons/" + secondCode + "/void", brand, "").statusCode()).isEqualTo(404);
        awaitEvent(brand, "user_id:e-1", "Coupon Voided", 1);
        assertThat(sweeper.sweep(clock.instant().plus(Duration.ofHours(23)))).isZero();
        sweeper.sweep(clock.instant().plus(Duration.ofHours(25)));
        awaitEvent(brand, "user_id:e-1", "Coupon Expired", 1);
        JsonNode coupons = body(get("/api/v1/coupons?identifier=user_id:e-1", brand));
        assertThat(coupons.toString()).contains("\"code\":\"" + first + "\"").contains("EXPIRED").contains("VOIDED");
    }

    @Test
    void flagsOneDeviceClaimingForThreeAccounts() {
        Brand brand = newBrand();
        template(brand, "{\"id\":\"new\",\"name\":\"新人券\",\"kind\":\"FIXED\",\"amountFen\":2000,\"totalStock\":100,\"validForHours\":48}");
        for (int i = 1; i <= 3; i++) {
            post("/v1/identify", brand.writeKey(), "{\"userId\":\"farm-" + i + "\"}");
        }
        String device = ",\"device\":\"idfa-0000-1111\"";
        assertThat(adminPost("/api/v1/coupon-templates/new/claim", brand, "{\"identifier\":\"user_id:farm-1\"" + device + "}").statusCode()).isEqualTo(200);
        assertThat(adminPost("/api/v1/coupon-templates/new/claim", brand, "{\"identifier\":\"user_id:farm-2\"" + device + "}").statusCode()).isEqualTo(200);
        var third = adminPost("/api/v1/coupon-templates/new/claim", brand, "{\"identifier\":\"user_id:farm-3\"" + device + "}");
        assertThat(body(third).path("errors").get(0).path("message").asString()).contains("abuse:device");
        JsonNode flags = body(get("/api/v1/coupons/abuse-flags", brand));
        assertThat(flags.get(0).path("signal").asString()).isEqualTo("device");
        assertThat(flags.get(0).path("accounts").asInt()).isEqualTo(3);
        assertThat(flags.toString()).doesNotContain("idfa-0000-1111");
        var otherDevice = adminPost("/api/v1/coupon-templates/new/claim", brand, "{\"identifier\":\"user_id:farm-3\",\"device\":\"own-phone\"}");
        assertThat(otherDevice.statusCode()).isEqualTo(200);
    }

    @Test
    void theCouponActionIssuesOnceForARetriedActionAndOutputsTheCode() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"j-1\"}");
        template(brand, "{\"id\":\"welcome20\",\"name\":\"20元无门槛\",\"kind\":\"FIXED\",\"amountFen\":2000,\"totalStock\":5,\"validForHours\":72}");
        PersonId person = PersonId.parse(profile(brand, "user_id:j-1").path("id").asString());
        ActionRequest request = new ActionRequest(brand.tenant().id(), "journey:welcome@1/n2/" + person, person, "coupon",
                Map.of("template", "welcome20"), Map.of(), "journey:welcome@1/node:coupon");
        ActionOutcome first = action.perform(request);
        ActionOutcome retried = action.perform(request);
        assertThat(first).isInstanceOf(ActionOutcome.Done.class);
        assertThat(retried).isEqualTo(first);
        assertThat(((ActionOutcome.Done) first).output().get("coupon_code")).hasSize(12);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:j-1", brand)).size()).isEqualTo(1);
        assertThat(action.perform(new ActionRequest(brand.tenant().id(), "x", person, "coupon", Map.of("template", "nope"), Map.of(), "t")))
                .isEqualTo(new ActionOutcome.Failed("template:unknown"));
    }

    @Test
    void rejectsBadTemplatesAndCartsNamingTheField() {
        Brand brand = newBrand();
        var manjian = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"bad\",\"name\":\"x\",\"kind\":\"THRESHOLD\",\"amountFen\":5000,"
                + "\"thresholdFen\":100,\"totalStock\":1,\"validForHours\":1}");
        assertThat(body(manjian).path("errors").get(0).path("field").asString()).isEqualTo("thresholdFen");
        var kind = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"bad\",\"name\":\"x\",\"kind\":\"BOGO\"}");
        assertThat(body(kind).path("errors").toString()).contains("\"field\":\"kind\"");
        var hostile = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"../../etc\",\"name\":\"x\",\"kind\":\"FIXED\"}");
        assertThat(body(hostile).path("errors").get(0).path("field").asString()).isEqualTo("id");
        String ok = "{\"id\":\"ok\",\"name\":\"ok\",\"kind\":\"FIXED\",\"amountFen\":100,\"totalStock\":1,\"validUntil\":\"2099-01-01T00:00:00Z\"}";
        assertThat(adminPost("/api/v1/coupon-templates", brand, ok).statusCode()).isEqualTo(200);
        assertThat(body(adminPost("/api/v1/coupon-templates", brand, ok)).path("errors").get(0).path("rule").asString()).isEqualTo("unique");
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"q-1\"}");
        var negative = adminPost("/api/v1/checkout/quote", brand, "{\"identifier\":\"user_id:q-1\",\"cart\":{\"lines\":[{\"productId\":\"a\",\"unitPriceFen\":-5,\"quantity\":1}]}}");
        assertThat(body(negative).path("errors").get(0).path("field").asString()).isEqualTo("cart.lines[0].unitPriceFen");
        var empty = adminPost("/api/v1/checkout/quote", brand, "{\"identifier\":\"user_id:q-1\",\"cart\":{\"lines\":[]}}");
        assertThat(body(empty).path("errors").get(0).path("field").asString()).isEqualTo("cart.lines");
        var tooMany = adminPost("/api/v1/coupon-templates/ok/issue", brand, "{\"identifiers\":[" + "\"user_id:x\",".repeat(10_000) + "\"user_id:y\"]}");
        assertThat(body(tooMany).path("errors").get(0).path("rule").asString()).isEqualTo("size");
        assertThat(get("/api/v1/coupon-templates/missing", brand).statusCode()).isEqualTo(404);
    }
}
