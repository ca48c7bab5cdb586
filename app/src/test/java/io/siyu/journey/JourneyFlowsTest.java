package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionRequest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The report's flows, from the shipped templates, end to end through the HTTP API on the simulated clock. */
class JourneyFlowsTest extends JourneyTestBase {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void wecomContactGetsWelcomeBySourceThenWakeUpCouponAndThanksAfterRedeeming() {
        Brand brand = brandWithoutQuietHours();
        int journey = publishTemplate(brand, "wecom-welcome", "{\"coupon_value\":\"50\"}");

        track(brand, "w1", "WeCom Contact Added", "{\"external_userid\":\"wm1\",\"staff_id\":\"s1\",\"state\":\"门店A\"}");
        track(brand, "w2", "WeCom Contact Added", "{\"external_userid\":\"wm2\",\"staff_id\":\"s1\",\"state\":\"直播间\"}");
        settle(brand);
        String w1 = personId(brand, "w1");
        String w2 = personId(brand, "w2");
        List<ActionRequest> welcome1 = performedFor(brand, "message", w1);
        assertThat(welcome1).hasSize(1);
        assertThat(welcome1.getFirst().parameter("text", "")).contains("门店A");
        assertThat(performedFor(brand, "message", w2).getFirst().parameter("text", "")).contains("直播间");

        track(brand, "w2", "Message Clicked", "{\"message_id\":\"m1\",\"channel\":\"wecom\"}"); // w2 interacts: no wake-up
        advance(brand, "P2D");
        assertThat(performedFor(brand, "message", w1)).hasSize(1);
        advance(brand, "P1D");
        assertThat(performedFor(brand, "message", w1)).hasSize(2);
        assertThat(performedFor(brand, "message", w1).get(1).parameter("text", "")).contains("50");
        List<ActionRequest> coupons = performedFor(brand, "coupon", w1);
        assertThat(coupons).hasSize(1);
        assertThat(coupons.getFirst().parameter("value", "")).isEqualTo("50");
        assertThat(performedFor(brand, "message", w2)).hasSize(1);
        assertThat(performedFor(brand, "coupon", w2)).isEmpty();

        track(brand, "w1", "Coupon Redeemed", "{\"coupon_id\":\"C-TEST\"}");
        settle(brand);
        List<ActionRequest> messages = performedFor(brand, "message", w1);
        assertThat(messages).hasSize(4);
        assertThat(messages.subList(2, 4)).allMatch(m -> m.parameter("channel", "").equals("sms"));

        track(brand, "w1", "WeCom Contact Added", "{\"external_userid\":\"wm1\",\"staff_id\":\"s2\",\"state\":\"门店B\"}");
        settle(brand);
        assertThat(performedFor(brand, "message", w1)).as("entry rule once").hasSize(4);

        JsonNode report = report(brand, journey);
        assertThat(report.path("entered").asLong()).isEqualTo(2);
        assertThat(report.path("active").asLong()).isZero();
        assertThat(report.path("sends").asLong()).isEqualTo(5);
        assertThat(node(report, "wakeup").path("reached").asLong()).isEqualTo(1);
        assertThat(node(report, "engaged").path("exited").path("end").asLong()).isEqualTo(1);
        assertThat(node(report, "coupon").path("actions").path("done").asLong()).isEqualTo(1);
    }

    @Test
    void longProductViewWithoutAddToCartGetsTieredDiscount() {
        Brand brand = brandWithoutQuietHours();
        track(brand, "vip", "Order Completed", "{\"order_id\":\"o1\",\"total\":1500}");
        publishTemplate(brand, "browse-abandonment", "{}");

        track(brand, "vip", "Product Viewed", "{\"product_id\":\"p1\",\"duration_ms\":45000}");
        track(brand, "new", "Product Viewed", "{\"product_id\":\"p2\",\"duration_ms\":31000}");
        track(brand, "glance", "Product Viewed", "{\"product_id\":\"p3\",\"duration_ms\":10000}");
        track(brand, "buyer", "Product Viewed", "{\"product_id\":\"p4\",\"duration_ms\":60000}");
        track(brand, "buyer", "Product Added", "{\"product_id\":\"p4\"}");
        advance(brand, "PT29M");
        assertThat(performedFor(brand, "coupon")).isEmpty();
        advance(brand, "PT2M");

        List<ActionRequest> vip = performedFor(brand, "coupon", personId(brand, "vip"));
        assertThat(vip).hasSize(1);
        assertThat(vip.getFirst().parameter("percent", "")).isEqualTo("20");
        assertThat(vip.getFirst().parameter("product", "")).isEqualTo("p1");
        assertThat(vip.getFirst().parameter("valid_hours", "")).isEqualTo("24");
        List<ActionRequest> fresh = performedFor(brand, "coupon", personId(brand, "new"));
        assertThat(fresh).hasSize(1);
        assertThat(fresh.getFirst().parameter("percent", "")).isEqualTo("10");
        assertThat(performedFor(brand, "coupon")).hasSize(2);
    }

    @Test
    void dormantCustomerGetsCategoryCouponAndSpecialistHandoff() {
        Brand brand = brandWithoutQuietHours();
        HttpResponseAssert.ok(put("/api/v1/segments/dormant-30d", brand,
                "{\"condition\":\"count(\\\"Logged In\\\", 30d) = 0 and event_count > 0\"}"));
        publishTemplate(brand, "dormant-winback", "{\"discount\":\"50\",\"threshold\":\"199\"}");
        track(brand, "sleepy", "Logged In", "{}");
        track(brand, "sleepy", "Product Viewed", "{\"product_id\":\"b1\",\"category\":\"母婴\"}");
        track(brand, "sleepy", "Product Added", "{\"product_id\":\"b1\",\"category\":\"母婴\"}");
        settle(brand);
        assertThat(performedFor(brand, "coupon")).isEmpty();

        advance(brand, "P31D");
        String sleepy = personId(brand, "sleepy");
        List<ActionRequest> coupons = performedFor(brand, "coupon", sleepy);
        assertThat(coupons).hasSize(1);
        assertThat(coupons.getFirst().parameter("category", "")).isEqualTo("母婴");
        assertThat(coupons.getFirst().parameter("discount", "")).isEqualTo("50");
        List<ActionRequest> handoffs = performedFor(brand, "handoff", sleepy);
        assertThat(handoffs).hasSize(1);
        assertThat(handoffs.getFirst().parameter("queue", "")).isEqualTo("母婴-specialist");
        settle(brand);
        assertThat(profile(brand, "user_id:sleepy").path("tags").toString()).contains("召回中");
    }

    @Test
    void birthdayGreetingComesOnTheDayAtTenLocal() {
        Brand brand = brandWithoutQuietHours();
        LocalDate today = now(brand).atZone(SHANGHAI).toLocalDate();
        identify(brand, "bday", "{\"name\":\"小王\",\"birthday\":\"" + today.plusDays(1).toString().substring(5) + "\"}");
        identify(brand, "later", "{\"name\":\"小李\",\"birthday\":\"" + today.plusDays(5).toString().substring(5) + "\"}");
        publishTemplate(brand, "birthday", "{\"discount\":\"15\"}");
        settle(brand);
        assertThat(performedFor(brand, "message")).isEmpty();

        advance(brand, "P1D");
        String bday = personId(brand, "bday");
        List<ActionRequest> greetings = performedFor(brand, "message", bday);
        long localHour = now(brand).atZone(SHANGHAI).getHour();
        if (localHour < 10) {
            assertThat(greetings).as("before 10:00 local nothing goes out").isEmpty();
            advance(brand, "PT" + (10 - localHour) + "H");
            greetings = performedFor(brand, "message", bday);
        }
        assertThat(greetings).hasSize(1);
        assertThat(greetings.getFirst().parameter("text", "")).contains("小王").contains("生日快乐");
        assertThat(performedFor(brand, "coupon", bday).getFirst().parameter("percent", "")).isEqualTo("15");
        assertThat(performedFor(brand, "message", personId(brand, "later"))).isEmpty();
    }

    @Test
    void courseRenewalReminderComesSevenDaysBeforeExpiry() {
        Brand brand = brandWithoutQuietHours();
        LocalDate today = now(brand).atZone(SHANGHAI).toLocalDate();
        identify(brand, "student", "{\"course_expires_on\":\"" + today.plusDays(8) + "\"}");
        publishTemplate(brand, "course-renewal", "{}");
        settle(brand);
        assertThat(performedFor(brand, "coupon")).isEmpty();
        advance(brand, "P1D");
        advance(brand, "PT10H");
        String student = personId(brand, "student");
        assertThat(performedFor(brand, "coupon", student)).hasSize(1);
        assertThat(performedFor(brand, "coupon", student).getFirst().parameter("percent", "")).isEqualTo("20");
        assertThat(performedFor(brand, "message", student).getFirst().parameter("text", "")).contains(today.plusDays(8).toString());
    }

    static JsonNode node(JsonNode report, String id) {
        for (JsonNode node : report.path("nodes")) {
            if (node.path("node").asString().equals(id)) {
                return node;
            }
        }
        throw new AssertionError("no node " + id + " in " + report);
    }

    /** Small assertion for a 2xx. */
    static final class HttpResponseAssert {
        static void ok(java.net.http.HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        }
    }
}
