package io.siyu.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.Result;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.siyu.support.ApiTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Referral campaigns end to end: the HTTP API, the intake, the engine, PostgreSQL and the coupon desk. */
class ReferralApiTest extends ApiTest {

    @Test
    void campaignsAreDefinedListedPausedAndEndedWithTheirRulesChecked() {
        Brand brand = newBrand();
        coupons(brand);
        HttpResponse<String> created = adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(body(created).get("running").asBoolean()).isTrue();
        assertThat(body(created).get("friendRewards").toString()).isEqualTo("[\"new-a\",\"new-b\"]");

        assertThat(adminPost("/api/v1/referrals/campaigns", brand, invite("spring")).body()).contains("\"rule\":\"unique\"");
        assertThat(body(get("/api/v1/referrals/campaigns", brand)).size()).isEqualTo(1);
        assertThat(body(adminPost("/api/v1/referrals/campaigns/spring/status", brand, "{\"status\":\"paused\"}")).get("running").asBoolean())
                .isFalse();
        assertThat(body(adminPost("/api/v1/referrals/campaigns/spring/status", brand, "{\"status\":\"ACTIVE\"}")).get("status").asString())
                .isEqualTo("ACTIVE");
        adminPost("/api/v1/referrals/campaigns/spring/status", brand, "{\"status\":\"ENDED\"}");
        assertThat(adminPost("/api/v1/referrals/campaigns/spring/status", brand, "{\"status\":\"ACTIVE\"}").body())
                .contains("\"rule\":\"transition\"");
        assertThat(adminPost("/api/v1/referrals/campaigns/spring/status", brand, "{\"status\":\"gone\"}").body()).contains("\"rule\":\"enum\"");
        assertThat(get("/api/v1/referrals/campaigns/nope", brand).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedOversizedAndHostileCampaignsAreRefusedNamingFieldAndRule() {
        Brand brand = newBrand();
        coupons(brand);
        HttpResponse<String> notJson = adminPost("/api/v1/referrals/campaigns", brand, "{\"id\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"field\":\"body\"", "\"rule\":\"json\"");
        HttpResponse<String> empty = adminPost("/api/v1/referrals/campaigns", brand, "{}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"field\":\"id\"", "\"field\":\"name\"", "\"field\":\"kind\"", "\"field\":\"startsAt\"",
                "\"field\":\"endsAt\"", "\"field\":\"landingUrl\"");
        String hostile = invite("x").replace("\"id\":\"x\"", "\"id\":\"../../etc\"")
                .replace("https://brand.example/r/{code}", "javascript:alert(1)")
                .replace("\"sharerReward\":\"sharer-20\"", "\"sharerReward\":\"'; DROP TABLE coupons; --\"");
        HttpResponse<String> bad = adminPost("/api/v1/referrals/campaigns", brand, hostile);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"id\"", "\"field\":\"landingUrl\"", "\"rule\":\"http-url\"", "\"field\":\"sharerReward\"",
                "\"rule\":\"exists\"");
        HttpResponse<String> backwards = adminPost("/api/v1/referrals/campaigns", brand,
                invite("y").replace("\"endsAt\":\"" + later() + "\"", "\"endsAt\":\"2020-01-01T00:00:00Z\""));
        assertThat(backwards.body()).contains("\"field\":\"endsAt\"", "\"rule\":\"order\"");
        HttpResponse<String> huge = adminPost("/api/v1/referrals/campaigns", brand,
                invite("z").replace("\"name\":\"春季拉新\"", "\"name\":\"" + "长".repeat(20_000) + "\""));
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> longName = adminPost("/api/v1/referrals/campaigns", brand,
                invite("z").replace("\"name\":\"春季拉新\"", "\"name\":\"" + "n".repeat(101) + "\""));
        assertThat(longName.body()).contains("\"field\":\"name\"", "\"rule\":\"length\"");
        HttpResponse<String> help = adminPost("/api/v1/referrals/campaigns", brand, """
                {"id":"h","name":"助力","kind":"HELP","startsAt":"%s","endsAt":"%s","landingUrl":"https://brand.example/h",
                 "helpersNeeded":0}""".formatted(earlier(), later()));
        assertThat(help.body()).contains("\"field\":\"helpersNeeded\"", "\"field\":\"friendRewards\"");
        assertThat(body(get("/api/v1/referrals/campaigns", brand)).size()).isZero();
    }

    @Test
    void aShareCodeIsStablePerPersonAndItsPosterQrCodeDecodesToTheShareLink() throws Exception {
        Brand brand = newBrand();
        coupons(brand);
        adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        identify(brand, "sharer-1");
        identify(brand, "sharer-2");
        JsonNode first = body(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"user_id:sharer-1\"}"));
        JsonNode again = body(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"user_id:sharer-1\"}"));
        JsonNode other = body(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"user_id:sharer-2\"}"));
        String code = first.get("code").asString();
        assertThat(code).matches("[A-HJ-NP-Z2-9]{10}");
        assertThat(again.get("code").asString()).isEqualTo(code);
        assertThat(other.get("code").asString()).isNotEqualTo(code);
        assertThat(first.get("link").asString()).isEqualTo("https://brand.example/r/" + code);
        assertThat(first.get("state").asString()).isEqualTo("ref:" + code);

        HttpResponse<byte[]> poster = http.send(HttpRequest.newBuilder(URI.create(url(first.get("poster").asString())))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(poster.statusCode()).isEqualTo(200);
        assertThat(poster.headers().firstValue("Content-Type")).hasValue("image/png");
        var image = ImageIO.read(new ByteArrayInputStream(poster.body()));
        int width = image.getWidth();
        int height = image.getHeight();
        LuminanceSource source = new RGBLuminanceSource(width, height, image.getRGB(0, 0, width, height, null, 0, width));
        Result decoded = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)));
        assertThat(decoded.getText()).isEqualTo("https://brand.example/r/" + code);

        assertThat(get("/api/v1/referrals/codes/" + code, brand).body()).contains("\"campaign\":\"spring\"");
        assertThat(get("/api/v1/referrals/codes/ABCDEFGHJK", brand).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/referrals/codes/abc%27--", brand).body()).contains("\"rule\":\"format\"");
        assertThat(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"phone:13800000000\"}").body())
                .contains("\"rule\":\"nameable\"");
        assertThat(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"user_id:nobody\"}").statusCode())
                .isEqualTo(404);
        assertThat(adminPost("/api/v1/referrals/campaigns/spring/codes", brand, "{\"identifier\":\"nonsense\"}").body())
                .contains("\"field\":\"identifier\"", "\"rule\":\"format\"");
    }

    @Test
    void aNewFriendWhoOpensTheLinkAndSignsUpEarnsBothRewardsExactlyOnceThoughEventsRepeat() {
        Brand brand = newBrand();
        coupons(brand);
        adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        String code = code(brand, "spring", "sharer");
        track(brand, "{\"anonymousId\":\"anon-f1\",\"event\":\"Referral Link Opened\",\"messageId\":\"m-open\","
                + "\"properties\":{\"referral_code\":\"" + code + "\"}}");
        String signUp = "{\"userId\":\"friend-1\",\"anonymousId\":\"anon-f1\",\"event\":\"Signed Up\",\"messageId\":\"m-signup\"}";
        track(brand, signUp);

        JsonNode attributions = body(get("/api/v1/referrals/campaigns/spring/attributions", brand));
        assertThat(attributions.size()).isEqualTo(1);
        JsonNode attribution = attributions.get(0);
        assertThat(attribution.get("status").asString()).isEqualTo("REWARDED");
        assertThat(attribution.get("friendIdentifier").asString()).isEqualTo("user_id:friend-1");
        assertThat(attribution.get("sharerIdentifier").asString()).isEqualTo("user_id:sharer");
        assertThat(attribution.get("rewards").asString()).contains("sharer:sharer-20=", "friend:new-a=", "friend:new-b=");

        track(brand, signUp); // the client's retry: same messageId
        track(brand, signUp.replace("m-signup", "m-signup-again")); // the app sends it twice
        track(brand, "{\"userId\":\"friend-1\",\"event\":\"Official Account Followed\",\"properties\":{\"referral_code\":\"" + code + "\"}}");
        assertThat(body(get("/api/v1/referrals/campaigns/spring/attributions", brand)).size()).isEqualTo(1);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:sharer", brand)).size()).isEqualTo(1);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:friend-1", brand)).size()).isEqualTo(2);
        assertThat(body(get("/api/v1/referrals/campaigns/spring", brand)).get("attributions").get("rewarded").asInt()).isEqualTo(1);
        JsonNode friend = awaitEvent(brand, "user_id:friend-1", "Referral Rewarded", 1);
        assertThat(friend.path("stats").path("eventCounts").path("Referral Attributed").asInt()).isEqualTo(1);
        awaitEvent(brand, "user_id:sharer", "Referral Rewarded", 1);
    }

    @Test
    void aCustomerWhoWasKnownBeforeIsNotANewFriendAndTheFirstSharerWins() {
        Brand brand = newBrand();
        coupons(brand);
        adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        String first = code(brand, "spring", "sharer-a");
        String second = code(brand, "spring", "sharer-b");
        track(brand, "{\"userId\":\"old-customer\",\"event\":\"Order Completed\",\"timestamp\":\"" + Instant.now().minus(30, ChronoUnit.DAYS)
                + "\",\"properties\":{\"order_id\":\"o-1\",\"total\":99}}");
        track(brand, "{\"userId\":\"old-customer\",\"event\":\"Signed Up\",\"properties\":{\"referral_code\":\"" + first + "\"}}");

        track(brand, "{\"anonymousId\":\"anon-n\",\"event\":\"Referral Link Opened\",\"properties\":{\"referral_code\":\"" + first + "\"}}");
        track(brand, "{\"anonymousId\":\"anon-n\",\"event\":\"Referral Link Opened\",\"properties\":{\"referral_code\":\"" + second + "\"}}");
        track(brand, "{\"userId\":\"newbie\",\"anonymousId\":\"anon-n\",\"event\":\"Signed Up\",\"properties\":{\"referral_code\":\""
                + second + "\"}}");

        JsonNode all = body(get("/api/v1/referrals/campaigns/spring/attributions", brand));
        assertThat(all.size()).isEqualTo(2);
        JsonNode existing = body(get("/api/v1/referrals/campaigns/spring/attributions?status=existing", brand));
        assertThat(existing.get(0).get("friendIdentifier").asString()).isEqualTo("user_id:old-customer");
        assertThat(existing.get(0).get("reason").asString()).isEqualTo("friend:existing-customer");
        JsonNode rewarded = body(get("/api/v1/referrals/campaigns/spring/attributions?sharer=user_id:sharer-a&status=REWARDED", brand));
        assertThat(rewarded.size()).isEqualTo(1);
        assertThat(rewarded.get(0).get("friendIdentifier").asString()).isEqualTo("user_id:newbie");
        assertThat(body(get("/api/v1/referrals/campaigns/spring/attributions?sharer=user_id:sharer-b", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:old-customer", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:sharer-a", brand)).size()).isEqualTo(1);
        assertThat(body(get("/api/v1/coupons?identifier=user_id:sharer-b", brand)).size()).isZero();
        assertThat(get("/api/v1/referrals/campaigns/spring/attributions?status=bogus", brand).body()).contains("\"rule\":\"enum\"");
        assertThat(get("/api/v1/referrals/campaigns/spring/attributions?limit=100000", brand).body()).contains("\"rule\":\"range\"");
    }

    @Test
    void selfInvitesRepeatedDevicesAndInviteRingsAreFlaggedUnrewardedAndListedForReview() {
        Brand brand = newBrand();
        coupons(brand);
        adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        identifyWithPhone(brand, "self", "13800001111");
        String selfCode = code(brand, "spring", "self");
        // the sharer converts through their own link, and a second account with the sharer's phone does too
        track(brand, "{\"userId\":\"self\",\"event\":\"Signed Up\",\"properties\":{\"referral_code\":\"" + selfCode + "\"}}");
        track(brand, "{\"userId\":\"self-alt\",\"event\":\"Signed Up\",\"traits\":{\"phone\":\"138 0000 1111\"},"
                + "\"properties\":{\"referral_code\":\"" + selfCode + "\"}}");

        // one device signs up three accounts through one farmer's code
        String farmer = code(brand, "spring", "farmer");
        for (int i = 1; i <= 3; i++) {
            track(brand, "{\"userId\":\"farmed-" + i + "\",\"event\":\"Signed Up\",\"context\":{\"device\":{\"id\":\"dev-farm\"}},"
                    + "\"properties\":{\"referral_code\":\"" + farmer + "\"}}");
        }

        // A invites B; B's code brings in a fresh account on A's device: A invites B invites A
        identify(brand, "ring-a");
        JsonNode aCode = body(adminPost("/api/v1/referrals/campaigns/spring/codes", brand,
                "{\"identifier\":\"user_id:ring-a\",\"device\":\"dev-a\"}"));
        track(brand, "{\"userId\":\"ring-b\",\"event\":\"Signed Up\",\"context\":{\"device\":{\"id\":\"dev-b\"}},"
                + "\"properties\":{\"referral_code\":\"" + aCode.get("code").asString() + "\"}}");
        String bCode = code(brand, "spring", "ring-b");
        track(brand, "{\"userId\":\"ring-a-again\",\"event\":\"Signed Up\",\"context\":{\"device\":{\"id\":\"dev-a\"}},"
                + "\"properties\":{\"referral_code\":\"" + bCode + "\"}}");

        JsonNode flags = body(get("/api/v1/referrals/flags", brand)).get("attributions");
        assertThat(flags.findValuesAsString("reason")).containsExactlyInAnyOrder("self:same-person", "self:shared-phone", "device:repeated",
                "ring:1");
        assertThat(flags.toString()).contains("user_id:self-alt", "user_id:farmed-3", "user_id:ring-a-again");
        JsonNode rewarded = body(get("/api/v1/referrals/campaigns/spring/attributions?status=rewarded", brand));
        assertThat(rewarded.findValuesAsString("friendIdentifier")).containsExactlyInAnyOrder("user_id:farmed-1", "user_id:farmed-2",
                "user_id:ring-b");
        assertThat(body(get("/api/v1/coupons?identifier=user_id:self", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:self-alt", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:farmed-3", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:ring-a-again", brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:farmer", brand)).size()).isEqualTo(1); // sharer-20 is one per person
    }

    @Test
    void anotherTenantSeesNothingAndCannotUseTheCodes() {
        Brand brand = newBrand();
        Brand other = newBrand();
        coupons(brand);
        coupons(other);
        adminPost("/api/v1/referrals/campaigns", brand, invite("spring"));
        String code = code(brand, "spring", "sharer");
        assertThat(get("/api/v1/referrals/campaigns/spring", other).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/referrals/codes/" + code, other).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/referrals/codes/" + code + "/poster.png", other).statusCode()).isEqualTo(404);
        adminPost("/api/v1/referrals/campaigns", other, invite("spring"));
        track(other, "{\"userId\":\"stranger\",\"event\":\"Signed Up\",\"properties\":{\"referral_code\":\"" + code + "\"}}");
        assertThat(body(get("/api/v1/referrals/campaigns/spring/attributions", other)).size()).isZero();
        assertThat(body(get("/api/v1/referrals/campaigns/spring/attributions", brand)).size()).isZero();
    }

    // --- fixtures

    static String earlier() {
        return Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String later() {
        return Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String invite(String id) {
        return """
                {"id":"%s","name":"春季拉新","kind":"INVITE","startsAt":"%s","endsAt":"%s","landingUrl":"https://brand.example/r/{code}",
                 "sharerReward":"sharer-20","friendRewards":["new-a","new-b"]}""".formatted(id, earlier(), later());
    }

    void coupons(Brand brand) {
        for (String id : new String[] {"sharer-20", "new-a", "new-b"}) {
            HttpResponse<String> created = adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"" + id + "\",\"name\":\"" + id
                    + "\",\"kind\":\"FIXED\",\"amountFen\":2000,\"totalStock\":1000,\"perPersonLimit\":1,\"validForHours\":720}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }
    }

    void identify(Brand brand, String user) {
        assertThat(post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\",\"traits\":{\"name\":\"" + user + "\"}}")
                .statusCode()).isEqualTo(200);
    }

    void identifyWithPhone(Brand brand, String user, String phone) {
        HttpResponse<String> r = post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\",\"traits\":{\"phone\":\"" + phone + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void track(Brand brand, String body) {
        HttpResponse<String> response = post("/v1/track", brand.writeKey(), body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("quarantine");
    }

    String code(Brand brand, String campaign, String user) {
        identify(brand, user);
        HttpResponse<String> response = adminPost("/api/v1/referrals/campaigns/" + campaign + "/codes", brand,
                "{\"identifier\":\"user_id:" + user + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response).get("code").asString();
    }

    JsonNode awaitEvent(Brand brand, String identifier, String event, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode profile = profile(brand, identifier);
        while (profile.path("stats").path("eventCounts").path(event).asInt() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(identifier + " never had " + count + " '" + event + "': " + profile);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            profile = profile(brand, identifier);
        }
        return profile;
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
