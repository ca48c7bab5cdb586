package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.support.ApiTest;
import io.siyu.support.TestData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Journey API tests: the real application on the simulated clock, with action providers that
 * record what they were asked to do (the real channel, coupon and agent-queue providers are other
 * capabilities'; these stand where they plug in, through the same SPI).
 */
@TestPropertySource(properties = {"siyu.clock=simulated", "siyu.data-dir=target/test-data/journey",
        "siyu.test.recorders=memory"})
@Import(JourneyTestBase.Recorders.class)
abstract class JourneyTestBase extends ApiTest {

    static {
        TestData.wipe("target/test-data/journey");
    }

    /** Everything the recording providers performed, in order. */
    static final ConcurrentLinkedQueue<ActionRequest> performed = new ConcurrentLinkedQueue<>();

    @TestConfiguration
    @ConditionalOnProperty(name = "siyu.test.recorders", havingValue = "memory")
    static class Recorders {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ActionProvider recordingMessages() {
            return recorder("message", Map.of());
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ActionProvider recordingCoupons() {
            return recorder("coupon", Map.of("coupon_code", "C-TEST"));
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ActionProvider recordingHandoffs() {
            return recorder("handoff", Map.of());
        }

        private static ActionProvider recorder(String type, Map<String, String> output) {
            return new ActionProvider() {
                @Override
                public String type() {
                    return type;
                }

                @Override
                public ActionOutcome perform(ActionRequest request) {
                    performed.add(request);
                    return new ActionOutcome.Done("recorded", output);
                }
            };
        }
    }

    /** What the providers did for one brand, of one type. */
    static List<ActionRequest> performedFor(Brand brand, String type) {
        return performed.stream().filter(r -> r.tenant().equals(brand.tenant().id()) && r.type().equals(type)).toList();
    }

    static List<ActionRequest> performedFor(Brand brand, String type, String personId) {
        return performedFor(brand, type).stream().filter(r -> r.person().toString().equals(personId)).toList();
    }

    Brand brandWithoutQuietHours() {
        Brand brand = newBrand();
        assertThat(put("/api/v1/send-policy", brand, "{\"quietHours\":null}").statusCode()).isEqualTo(200);
        return brand;
    }

    int publishTemplate(Brand brand, String template, String parameters) {
        HttpResponse<String> created = adminPost("/api/v1/journey-templates/" + template, brand, "{\"parameters\":" + parameters + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int id = body(created).path("id").asInt();
        HttpResponse<String> published = adminPost("/api/v1/journeys/" + id + "/publish", brand, "");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        return id;
    }

    int publish(Brand brand, String definition) {
        HttpResponse<String> created = adminPost("/api/v1/journeys", brand, definition);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int id = body(created).path("id").asInt();
        HttpResponse<String> published = adminPost("/api/v1/journeys/" + id + "/publish", brand, "");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        return id;
    }

    void track(Brand brand, String user, String event, String properties) {
        HttpResponse<String> response = post("/v1/track", brand.writeKey(), "{\"userId\":\"" + user + "\",\"event\":\"" + event
                + "\",\"properties\":" + properties + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    void identify(Brand brand, String user, String traits) {
        HttpResponse<String> response = post("/v1/identify", brand.writeKey(), "{\"userId\":\"" + user + "\",\"traits\":" + traits + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Moves the simulated clock; returns once due steps are durable and due actions were tried. */
    JsonNode advance(Brand brand, String duration) {
        HttpResponse<String> response = adminPost("/api/v1/admin/clock/advance", brand, "{\"duration\":\"" + duration + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    /** Lets everything already sent reach the journeys and their actions. */
    void settle(Brand brand) {
        advance(brand, "PT0S");
    }

    Instant now(Brand brand) {
        return Instant.parse(body(get("/api/v1/admin/clock", brand)).path("now").asString());
    }

    String personId(Brand brand, String user) {
        return profile(brand, "user_id:" + user).path("id").asString();
    }

    JsonNode report(Brand brand, int journey) {
        HttpResponse<String> response = get("/api/v1/journeys/" + journey + "/report", brand);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    HttpResponse<String> put(String path, Brand brand, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
