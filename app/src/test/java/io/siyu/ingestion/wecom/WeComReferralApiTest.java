package io.siyu.ingestion.wecom;

import static io.siyu.ingestion.wecom.WeComFixtures.contactAdded;
import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.ingestion.wecom.WeComFixtures.App;
import io.siyu.support.ApiTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The WeCom path of referral attribution, from a real signed and encrypted callback: a friend who
 * scans a sharer's contact-way QR (state {@code ref:<code>}) and adds the brand's WeCom contact is
 * attributed to the sharer, and both are rewarded, once, however often WeCom retries.
 */
class WeComReferralApiTest extends ApiTest {

    @Test
    void aContactAddWithAReferralStateAttributesTheNewFriendToTheSharerOnceAcrossRetries() {
        Brand brand = newBrand();
        App app = App.random();
        HttpResponse<String> configured = send(HttpRequest.newBuilder(URI.create(url("/api/v1/wecom/config")))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(app.settingsJson())).build());
        assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
        for (String id : new String[] {"sharer-20", "newcomer"}) {
            assertThat(adminPost("/api/v1/coupon-templates", brand, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"kind\":\"FIXED\","
                    + "\"amountFen\":2000,\"totalStock\":100,\"perPersonLimit\":1,\"validForHours\":720}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> campaign = adminPost("/api/v1/referrals/campaigns", brand, """
                {"id":"wecom-fission","name":"企微裂变","kind":"INVITE","startsAt":"%s","endsAt":"%s","landingUrl":"https://brand.example/r/{code}",
                 "sharerReward":"sharer-20","friendRewards":["newcomer"]}"""
                .formatted(Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(7, ChronoUnit.DAYS)));
        assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(200);
        assertThat(post("/v1/identify", brand.writeKey(), "{\"userId\":\"sharer\"}").statusCode()).isEqualTo(200);
        JsonNode code = body(adminPost("/api/v1/referrals/campaigns/wecom-fission/codes", brand, "{\"identifier\":\"user_id:sharer\"}"));
        String state = code.get("state").asString();
        assertThat(state).isEqualTo("ref:" + code.get("code").asString());

        long now = Instant.now().getEpochSecond();
        String friend = "wmFriend" + WeComFixtures.alphanumeric(8);
        String added = contactAdded(app, friend, "zhangsan", state, now);
        for (int attempt = 0; attempt < 4; attempt++) { // WeCom's first try and its three retries
            HttpResponse<String> response = callback(brand, app.callback(added, now + attempt));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        // a customer who added a store's QR an hour ago and now scans a referral QR is not a new friend
        String old = "wmOld" + WeComFixtures.alphanumeric(8);
        callback(brand, app.callback(contactAdded(app, old, "lisi", "store-qr", now - 3600), now));
        callback(brand, app.callback(contactAdded(app, old, "zhangsan", state, now + 10), now));
        // a state that is not a referral names no sharer
        callback(brand, app.callback(contactAdded(app, "wmOther" + WeComFixtures.alphanumeric(8), "zhangsan", "live-2026", now), now));

        JsonNode attributions = body(get("/api/v1/referrals/campaigns/wecom-fission/attributions", brand));
        assertThat(attributions.size()).as(attributions.toString()).isEqualTo(2);
        JsonNode rewarded = body(get("/api/v1/referrals/campaigns/wecom-fission/attributions?status=REWARDED", brand));
        assertThat(rewarded.size()).isEqualTo(1);
        assertThat(rewarded.get(0).get("friendIdentifier").asString()).isEqualTo("wecom_external_userid:" + friend);
        assertThat(rewarded.get(0).get("via").asString()).isEqualTo("WeCom Contact Added");
        JsonNode existing = body(get("/api/v1/referrals/campaigns/wecom-fission/attributions?status=EXISTING", brand));
        assertThat(existing.get(0).get("friendIdentifier").asString()).isEqualTo("wecom_external_userid:" + old);
        assertThat(body(get("/api/v1/coupons?identifier=wecom_external_userid:" + friend, brand)).size()).isEqualTo(1);
        assertThat(body(get("/api/v1/coupons?identifier=wecom_external_userid:" + old, brand)).size()).isZero();
        assertThat(body(get("/api/v1/coupons?identifier=user_id:sharer", brand)).size()).isEqualTo(1);
    }

    private HttpResponse<String> callback(Brand brand, WeComFixtures.Callback callback) {
        return send(HttpRequest.newBuilder(URI.create(url("/wecom/callback/" + brand.slug() + "?" + callback.query())))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(callback.body())).build());
    }
}
