package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Defining, validating and running journeys through the management API; send policies on the way out. */
class JourneyApiTest extends JourneyTestBase {

    private static final String API_JOURNEY = """
            {"name": "%s", "trigger": {"type": "api"}, "entry": {"rule": "%s"},
             "nodes": [
               {"id": "hello", "type": "action", "action": "message", "parameters": {"channel": "wecom", "text": "hi {{trait.name}} {{event.note}}"}, "next": "wait"},
               {"id": "wait", "type": "wait", "duration": "P1D", "next": "vip"},
               {"id": "vip", "type": "branch", "condition": "has_tag(\\"vip\\")", "then": "vip-msg", "else": "done"},
               {"id": "vip-msg", "type": "action", "action": "message", "parameters": {"channel": "wecom", "text": "vip"}, "next": "done"},
               {"id": "done", "type": "exit"}]}""";

    @Test
    void rejectsUnsoundGraphsNamingEveryFieldAndRule() {
        Brand brand = newBrand();
        HttpResponse<String> response = adminPost("/api/v1/journeys", brand, """
                {"name": "bad", "trigger": {"type": "event", "event": "Signed Up"},
                 "nodes": [
                   {"id": "a", "type": "branch", "condition": "order_count > 1", "then": "b"},
                   {"id": "b", "type": "action", "action": "message", "next": "c"},
                   {"id": "c", "type": "update_trait", "trait": "x", "value": "1", "next": "b"},
                   {"id": "orphan", "type": "exit"},
                   {"id": "w", "type": "wait", "duration": "soon", "next": "nowhere"}]}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        JsonNode errors = body(response).path("errors");
        assertThat(errors.toString()).contains("\"field\":\"nodes[0].else\",\"rule\":\"missing-exit\"")
                .contains("\"field\":\"nodes[4].next\",\"rule\":\"unknown-node\"")
                .contains("\"field\":\"nodes[4].duration\",\"rule\":\"format\"");

        HttpResponse<String> structural = adminPost("/api/v1/journeys", brand, """
                {"name": "bad2", "trigger": {"type": "event", "event": "Signed Up"},
                 "nodes": [
                   {"id": "a", "type": "branch", "condition": "order_count > 1", "then": "b", "else": "d"},
                   {"id": "b", "type": "action", "action": "message", "next": "c"},
                   {"id": "c", "type": "update_trait", "trait": "x", "value": "1", "next": "b"},
                   {"id": "orphan", "type": "exit"},
                   {"id": "d", "type": "exit"}]}""");
        assertThat(structural.statusCode()).isEqualTo(400);
        assertThat(body(structural).path("errors").toString()).contains("\"rule\":\"unreachable\"").contains("orphan")
                .contains("\"rule\":\"loop-without-wait\"");

        HttpResponse<String> loopWithWait = adminPost("/api/v1/journeys", brand, """
                {"name": "nagger", "trigger": {"type": "api"}, "entry": {"rule": "always"},
                 "nodes": [
                   {"id": "a", "type": "action", "action": "message", "next": "w"},
                   {"id": "w", "type": "wait", "duration": "P7D", "next": "a"}]}""");
        assertThat(loopWithWait.statusCode()).as(loopWithWait.body()).isEqualTo(201);
    }

    @Test
    void rejectsMalformedOversizedHostileAndDuplicateInput() {
        Brand brand = newBrand();
        assertThat(adminPost("/api/v1/journeys", brand, "{not json").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/journeys", brand, "[1,2]").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/journeys", brand, "x".repeat(300_000)).statusCode()).isEqualTo(413);
        StringBuilder many = new StringBuilder("{\"name\":\"many\",\"trigger\":{\"type\":\"api\"},\"nodes\":[");
        for (int i = 0; i < 600; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"n").append(i).append("\",\"type\":\"exit\"}");
        }
        HttpResponse<String> tooMany = adminPost("/api/v1/journeys", brand, many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(body(tooMany).path("errors").get(0).path("rule").asString()).isEqualTo("max-items");
        HttpResponse<String> injection = adminPost("/api/v1/journeys", brand, """
                {"name": "x'); DROP TABLE journeys; --", "trigger": {"type": "api"},
                 "nodes": [{"id": "a", "type": "branch", "condition": "trait(\\"a\\") = ) or (", "then": "a", "else": "a"}]}""");
        assertThat(injection.statusCode()).isEqualTo(400);
        assertThat(body(injection).path("errors").toString()).contains("nodes[0].condition").contains("syntax");
        assertThat(adminPost("/api/v1/journeys", brand, API_JOURNEY.formatted("twice", "once")).statusCode()).isEqualTo(201);
        HttpResponse<String> duplicate = adminPost("/api/v1/journeys", brand, API_JOURNEY.formatted("twice", "once"));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(body(duplicate).path("errors").get(0).path("rule").asString()).isEqualTo("duplicate");
        assertThat(adminPost("/api/v1/journey-templates/birthday", brand, "{\"parameters\":{\"nope\":\"1\"}}").statusCode())
                .isEqualTo(400);
        assertThat(adminPost("/api/v1/journeys/999999/publish", brand, "").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/admin/clock/advance", brand, "{\"duration\":\"-P1D\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/admin/clock/advance", brand, "{\"duration\":\"tomorrow\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void reportCountsEachSentMessageDeliveredOpenedAndClickedOnceFromTheChannelsReceipts() {
        Brand brand = brandWithoutQuietHours();
        Brand other = brandWithoutQuietHours();
        identify(brand, "r1", "{\"name\":\"小红\"}");
        identify(brand, "r2", "{\"name\":\"小蓝\"}");
        int id = publish(brand, API_JOURNEY.formatted("receipts", "once"));
        enter(brand, id, "user_id:r1");
        enter(brand, id, "user_id:r2");
        settle(brand);
        String first = performedFor(brand, "message", personId(brand, "r1")).getFirst().actionId();
        String second = performedFor(brand, "message", personId(brand, "r2")).getFirst().actionId();
        // the channel reports receipts as events whose message_id is the journey's action id
        track(brand, "r1", "Message Delivered", "{\"message_id\":\"" + first + "\",\"channel\":\"wecom\"}");
        track(brand, "r1", "Message Opened", "{\"message_id\":\"" + first + "\",\"channel\":\"wecom\"}");
        track(brand, "r1", "Message Opened", "{\"message_id\":\"" + first + "\",\"channel\":\"wecom\"}");
        track(brand, "r1", "Message Clicked", "{\"message_id\":\"" + first + "\",\"channel\":\"wecom\",\"url\":\"https://shop.example.cn/\"}");
        track(brand, "r2", "Message Delivered", "{\"message_id\":\"" + second + "\",\"channel\":\"wecom\"}");
        // not this brand's journeys: another tenant's id, a made-up id, a hostile one
        track(brand, "r2", "Message Opened", "{\"message_id\":\"j" + other.tenant().id().value() + "-1-1-1-1\",\"channel\":\"wecom\"}");
        track(brand, "r2", "Message Opened", "{\"message_id\":\"nope\",\"channel\":\"wecom\"}");
        track(brand, "r2", "Message Clicked", "{\"message_id\":\"" + second + "' OR '1'='1\",\"channel\":\"wecom\"}");
        settle(brand);
        JsonNode report = report(brand, id);
        assertThat(report.path("sends").asLong()).isEqualTo(2);
        assertThat(report.path("receipts").path("delivered").asLong()).isEqualTo(2);
        assertThat(report.path("receipts").path("opened").asLong()).as("two opens of one message are one").isEqualTo(1);
        assertThat(report.path("receipts").path("clicked").asLong()).isEqualTo(1);
        assertThat(report.path("openRate").asDouble()).isEqualTo(0.5);
        assertThat(report.path("clickRate").asDouble()).isEqualTo(0.5);
        JsonNode hello = FlowNodes.node(report, "hello").path("receipts");
        assertThat(hello.path("delivered").asLong()).isEqualTo(2);
        assertThat(hello.path("opened").asLong()).isEqualTo(1);
        assertThat(FlowNodes.node(report, "wait").path("receipts").path("opened").asLong()).isZero();
    }

    @Test
    void anErasedPersonLeavesEveryJourneyAtOnceAndIsNotActedOnAgain() {
        Brand brand = brandWithoutQuietHours();
        identify(brand, "er-1", "{\"name\":\"甲\"}");
        identify(brand, "er-2", "{\"name\":\"乙\"}");
        int id = publish(brand, API_JOURNEY.formatted("erasure", "always"));
        assertThat(enter(brand, id, "user_id:er-1").path("result").asString()).isEqualTo("entered");
        assertThat(enter(brand, id, "user_id:er-2").path("result").asString()).isEqualTo("entered");
        settle(brand);
        assertThat(JourneyFlowsTest.node(report(brand, id), "wait").path("waiting").asLong()).isEqualTo(2);
        String erased = personId(brand, "er-1");
        String kept = personId(brand, "er-2");

        HttpResponse<String> erasure = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/v1/privacy/people/" + erased + "/erase")))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(erasure.statusCode()).as(erasure.body()).isEqualTo(200);
        assertThat(JourneyFlowsTest.node(report(brand, id), "wait").path("waiting").asLong()).as("only er-2 still waits").isEqualTo(1);

        advance(brand, "P2D"); // the erased person's wait comes due and finds nobody
        assertThat(JourneyFlowsTest.node(report(brand, id), "wait").path("waiting").asLong()).isZero();
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:er-2", brand)).path("in").asBoolean()).isFalse();
        assertThat(performedFor(brand, "message", erased)).as("only the welcome sent before the erasure").hasSize(1);
        assertThat(performedFor(brand, "message", kept)).hasSize(1);
        assertThat(report(brand, id).path("exited").path("end").asLong()).as("er-2 reached the end, the erased person did not").isEqualTo(1);
    }

    @Test
    void apiEntryFollowsLifecycleEntryRulesAndVersions() {
        Brand brand = brandWithoutQuietHours();
        identify(brand, "a1", "{\"name\":\"阿花\"}");
        HttpResponse<String> created = adminPost("/api/v1/journeys", brand, API_JOURNEY.formatted("api-flow", "once"));
        int id = body(created).path("id").asInt();
        assertThat(enter(brand, id, "user_id:a1").path("result").asString()).as("draft").isEqualTo("not_published");
        adminPost("/api/v1/journeys/" + id + "/publish", brand, "");
        assertThat(enter(brand, id, "user_id:a1").path("result").asString()).isEqualTo("entered");
        assertThat(enter(brand, id, "user_id:a1").path("result").asString()).isEqualTo("already_in");
        assertThat(adminPost("/api/v1/journeys/" + id + "/enter", brand, "{\"identifier\":\"user_id:nobody\"}").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/journeys/" + id + "/enter", brand, "{\"identifier\":\"bogus\"}").statusCode()).isEqualTo(400);
        settle(brand);
        String a1 = personId(brand, "a1");
        assertThat(performedFor(brand, "message", a1).getFirst().parameter("text", "")).isEqualTo("hi 阿花 note-1");
        JsonNode position = body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a1", brand));
        assertThat(position.path("node").asString()).isEqualTo("wait");
        assertThat(position.path("version").asInt()).isEqualTo(1);

        // version 2 changes the wait; a1 stays on version 1
        HttpResponse<String> edited = put("/api/v1/journeys/" + id, brand, API_JOURNEY.formatted("api-flow", "once").replace("P1D", "P5D"));
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        adminPost("/api/v1/journeys/" + id + "/publish", brand, "");
        identify(brand, "a2", "{\"name\":\"阿明\"}");
        assertThat(enter(brand, id, "user_id:a2").path("result").asString()).isEqualTo("entered");
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a2", brand)).path("version").asInt()).isEqualTo(2);

        assertThat(adminPost("/api/v1/journeys/" + id + "/pause", brand, "").statusCode()).isEqualTo(200);
        advance(brand, "P1D");
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a1", brand)).path("node").asString())
                .as("a paused journey holds people where they are").isEqualTo("wait");
        assertThat(adminPost("/api/v1/journeys/" + id + "/pause", brand, "").statusCode()).isEqualTo(400);
        adminPost("/api/v1/journeys/" + id + "/resume", brand, "");
        advance(brand, "PT2M");
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a1", brand)).path("in").asBoolean()).isFalse();
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a2", brand)).path("node").asString()).isEqualTo("wait");
        assertThat(enter(brand, id, "user_id:a1").path("result").asString()).as("entry rule once").isEqualTo("entry_rule");

        adminPost("/api/v1/journeys/" + id + "/archive", brand, "");
        assertThat(body(get("/api/v1/journeys/" + id + "/position?identifier=user_id:a2", brand)).path("in").asBoolean()).isFalse();
        JsonNode report = report(brand, id);
        assertThat(report.path("entered").asLong()).isEqualTo(2);
        assertThat(report.path("exited").path("end").asLong()).isEqualTo(1);
        assertThat(report.path("exited").path("archived").asLong()).isEqualTo(1);
    }

    @Test
    void frequencyCapSuppressesWithAReasonVisibleInReportAndDecisions() {
        Brand brand = brandWithoutQuietHours();
        assertThat(put("/api/v1/send-policy", brand, "{\"quietHours\":null,\"caps\":{\"wecom\":{\"day\":1}}}").statusCode()).isEqualTo(200);
        int id = publish(brand, """
                {"name": "chatty", "trigger": {"type": "api"},
                 "nodes": [
                   {"id": "one", "type": "action", "action": "message", "parameters": {"channel": "wecom", "text": "1"}, "next": "two"},
                   {"id": "two", "type": "action", "action": "message", "parameters": {"channel": "wecom", "text": "2"}, "next": "sms"},
                   {"id": "sms", "type": "action", "action": "message", "parameters": {"channel": "sms", "text": "3"}, "next": "done"},
                   {"id": "done", "type": "exit"}]}""");
        identify(brand, "c1", "{}");
        enter(brand, id, "user_id:c1");
        settle(brand);
        String c1 = personId(brand, "c1");
        List<ActionRequest> sent = performedFor(brand, "message", c1);
        assertThat(sent).extracting(r -> r.parameter("text", "")).containsExactly("1", "3");
        JsonNode report = report(brand, id);
        assertThat(report.path("suppressed").path("cap:wecom:day").asLong()).isEqualTo(1);
        assertThat(FlowNodes.node(report, "two").path("suppressed").path("cap:wecom:day").asLong()).isEqualTo(1);
        JsonNode decisions = body(get("/api/v1/send-policy/decisions?reason=cap", brand));
        assertThat(decisions.path("decisions").get(0).path("reason").asString()).isEqualTo("cap:wecom:day");
        assertThat(decisions.path("decisions").get(0).path("person").asString()).isEqualTo(c1);
        assertThat(put("/api/v1/send-policy", brand, "{\"caps\":{\"wecom\":{\"day\":-1}}}").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/send-policy/decisions?limit=0", brand).statusCode()).isEqualTo(400);
    }

    @Test
    void quietHoursInThePersonsZoneDeferInsteadOfDropping() {
        Brand brand = newBrand(); // default policy: quiet 22:00-08:00
        int utcHour = now(brand).atZone(java.time.ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(23 - utcHour + 12, 24) - 12; // local time is 23:xx there
        identify(brand, "night", "{\"timezone\":\"" + java.time.ZoneOffset.ofHours(offset).getId() + "\"}");
        int id = publish(brand, """
                {"name": "late", "trigger": {"type": "api"},
                 "nodes": [
                   {"id": "msg", "type": "action", "action": "message", "parameters": {"channel": "wecom", "text": "早上好"}, "next": "done"},
                   {"id": "done", "type": "exit"}]}""");
        enter(brand, id, "user_id:night");
        settle(brand);
        String night = personId(brand, "night");
        assertThat(performedFor(brand, "message", night)).isEmpty();
        assertThat(body(get("/api/v1/send-policy/decisions", brand)).path("byReason").path("quiet-hours").asLong()).isEqualTo(1);
        advance(brand, "PT9H"); // 23:xx + 9 h is past 08:00 local
        assertThat(performedFor(brand, "message", night)).as("sent once quiet hours ended").hasSize(1);
    }

    private JsonNode enter(Brand brand, int journey, String identifier) {
        HttpResponse<String> response = adminPost("/api/v1/journeys/" + journey + "/enter", brand,
                "{\"identifier\":\"" + identifier + "\",\"properties\":{\"note\":\"note-1\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    /** Node lookup shared with the flow tests. */
    static final class FlowNodes {
        static JsonNode node(JsonNode report, String id) {
            return JourneyFlowsTest.node(report, id);
        }
    }
}
