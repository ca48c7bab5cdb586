package io.siyu.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.Consent;
import io.siyu.action.ConsentGate;
import io.siyu.action.Purpose;
import io.siyu.identity.PersonId;
import io.siyu.platform.Role;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ConsentApiTest extends PrivacyApi {

    @Autowired
    private ConsentGate gate;

    @Autowired
    private Personalisation personalisation;

    @Test
    void aConsentUpdatedEventRefusesMarketingThroughTheGate() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c-1\"}");
        PersonId person = PersonId.parse(profile(brand, "user_id:c-1").path("id").asString());
        assertThat(gate.consentOf(brand.tenant().id(), person, Purpose.MARKETING)).as("no answer yet").isEqualTo(Consent.ALL);

        HttpResponse<String> sent = post("/v1/track", brand.writeKey(), """
                {"userId":"c-1","event":"Consent Updated","properties":{"purpose":"marketing","consent":"refused","source":"隐私中心"}}""");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(gate.consentOf(brand.tenant().id(), person, Purpose.MARKETING)).isEqualTo(Consent.REFUSED);
        assertThat(gate.consentOf(brand.tenant().id(), person, Purpose.ANALYTICS)).isEqualTo(Consent.ALL);
    }

    @Test
    void theEventIsCheckedAgainstItsSchema() {
        Brand brand = newBrand();
        HttpResponse<String> missing = post("/v1/track", brand.writeKey(), """
                {"userId":"c-2","event":"Consent Updated","properties":{"purpose":"marketing"}}""");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("properties.consent");
    }

    @Test
    void theApiSetsConsentKeepsHistoryAndPersonalisedContentFallsBack() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c-3\"}");
        String id = profile(brand, "user_id:c-3").path("id").asString();
        PersonId person = PersonId.parse(id);
        assertThat(personalisation.choose(brand.tenant().id(), person, () -> "为你推荐: 护发素", () -> "热门商品"))
                .isEqualTo("为你推荐: 护发素");

        String agent = token(brand, Role.AGENT);
        HttpResponse<String> set = call("PUT", "/api/v1/consent/" + id, agent,
                "{\"purpose\":\"personalisation\",\"consent\":\"necessary_only\",\"source\":\"电话客服\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(body(set).path("consent").path("personalisation").asString()).isEqualTo("necessary_only");
        call("PUT", "/api/v1/consent/" + id, agent, "{\"purpose\":\"personalisation\",\"consent\":\"refused\"}");

        JsonNode view = body(call("GET", "/api/v1/consent/" + id, token(brand, Role.AUDITOR), null));
        assertThat(view.path("consent").path("personalisation").asString()).isEqualTo("refused");
        assertThat(view.path("answered").path("marketing").asBoolean()).isFalse();
        assertThat(view.path("history").size()).isEqualTo(2);
        assertThat(view.path("history").get(0).path("source").asString()).isEqualTo("电话客服");
        assertThat(view.path("history").get(1).path("source").asString()).startsWith("api:token:agent-");

        boolean[] computed = {false};
        assertThat(personalisation.choose(brand.tenant().id(), person, () -> {
            computed[0] = true;
            return "为你推荐: 护发素";
        }, () -> "热门商品")).isEqualTo("热门商品");
        assertThat(computed[0]).as("the personalised variant is not even computed").isFalse();
    }

    @Test
    void badConsentRequestsNameTheField() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"c-4\"}");
        String id = profile(brand, "user_id:c-4").path("id").asString();
        HttpResponse<String> purpose = asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"spam\",\"consent\":\"all\"}");
        assertThat(purpose.statusCode()).isEqualTo(400);
        assertThat(body(purpose).path("errors").get(0).path("field").asString()).isEqualTo("purpose");
        assertThat(body(asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"marketing\",\"consent\":\"maybe\"}"))
                .path("errors").get(0).path("field").asString()).isEqualTo("consent");
        assertThat(asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"marketing\",\"consent\":\"all\",\"source\":\""
                + "x".repeat(500) + "\"}").statusCode()).isEqualTo(400);
        assertThat(asAdmin("PUT", "/api/v1/consent/not-a-uuid", brand, "{\"purpose\":\"marketing\",\"consent\":\"all\"}").statusCode())
                .isEqualTo(400);
        assertThat(asAdmin("GET", "/api/v1/consent/" + PersonId.of(brand.tenant().id().value(), 99_999), brand, null).statusCode())
                .isEqualTo(404);
        assertThat(asAdmin("PUT", "/api/v1/consent/" + id, brand, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/v1/consent/" + id, token(brand, Role.ANALYST), "{\"purpose\":\"marketing\",\"consent\":\"all\"}")
                .statusCode()).isEqualTo(403);
        // the same answer twice is two history entries but one state
        asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"marketing\",\"consent\":\"refused\"}");
        JsonNode twice = body(asAdmin("PUT", "/api/v1/consent/" + id, brand, "{\"purpose\":\"marketing\",\"consent\":\"refused\"}"));
        assertThat(twice.path("consent").path("marketing").asString()).isEqualTo("refused");
        assertThat(twice.path("history").size()).isEqualTo(2);
    }
}
