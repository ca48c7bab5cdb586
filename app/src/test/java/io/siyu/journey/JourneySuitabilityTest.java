package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A journey message naming a financial product (node parameter {@code product}) goes only to people suited to it. */
class JourneySuitabilityTest extends JourneyTestBase {

    @Test
    void aJourneyOfferIsSuppressedForAPersonAssessedBelowTheProduct() {
        Brand brand = brandWithoutQuietHours();
        assertThat(put("/api/v1/compliance/products/fund-r4", brand, "{\"riskLevel\":\"R4\"}").statusCode()).isEqualTo(201);
        int id = publish(brand, """
                {"name": "offer", "trigger": {"type": "api"},
                 "nodes": [
                   {"id": "offer", "type": "action", "action": "message",
                    "parameters": {"channel": "wecom", "text": "新基金开售", "product": "fund-r4"}, "next": "done"},
                   {"id": "done", "type": "exit"}]}""");
        identify(brand, "cautious", "{\"risk_assessment\":\"C2\"}");
        identify(brand, "bold", "{\"risk_assessment\":\"C5\"}");
        for (String user : new String[] {"cautious", "bold"}) {
            assertThat(adminPost("/api/v1/journeys/" + id + "/enter", brand, "{\"identifier\":\"user_id:" + user + "\"}")
                    .statusCode()).isEqualTo(200);
        }
        settle(brand);
        assertThat(performedFor(brand, "message", personId(brand, "cautious"))).isEmpty();
        assertThat(performedFor(brand, "message", personId(brand, "bold"))).hasSize(1);
        tools.jackson.databind.JsonNode report = report(brand, id);
        assertThat(report.path("suppressed").path("risk:above-assessment:R4>R2").asLong()).isEqualTo(1);
    }
}
