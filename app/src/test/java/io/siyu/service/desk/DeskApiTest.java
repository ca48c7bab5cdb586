package io.siyu.service.desk;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.identity.PersonId;
import io.siyu.service.LocalCommerceServer;
import io.siyu.support.ApiTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The service desk end to end: real app, real PostgreSQL, a local HTTP server as the brand's OMS and inventory. */
class DeskApiTest extends ApiTest {

    @Autowired
    List<ActionProvider> actions;

    @Autowired
    Tickets tickets;

    @Autowired
    SlaWatch slaWatch;

    private LocalCommerceServer commerce;
    private Brand brand;

    @BeforeEach
    void setUp() throws Exception {
        commerce = new LocalCommerceServer();
        commerce.orders.put("20231105887766", "{\"status\":\"shipped\",\"carrier\":\"顺丰\",\"trackingNumber\":\"SF1234567890\"}");
        brand = newBrand();
        assertThat(put("/api/v1/service/connectors/oms", "{\"url\":\"" + commerce.omsUrl() + "\",\"token\":\"s3cret\"}").statusCode()).isEqualTo(200);
        put("/api/v1/service/connectors/inventory", "{\"url\":\"" + commerce.inventoryUrl() + "\"}");
    }

    @AfterEach
    void tearDown() {
        commerce.close();
    }

    private HttpResponse<String> put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").header("X-Siyu-Tenant", brand.slug())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String open(String person) {
        var response = adminPost("/api/v1/service/conversations", brand, "{\"channel\":\"web\",\"person\":\"" + person + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return body(response).path("id").asString();
    }

    private JsonNode say(String conversation, String text) {
        var response = adminPost("/api/v1/service/conversations/" + conversation + "/messages", brand,
                json.writeValueAsString(Map.of("text", text)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response);
    }

    @Test
    void botLooksUpAnOrderThenHandsOffAndResumesAfterTheTicketCloses() {
        put("/api/v1/service/agents/alice", "{\"skills\":[\"logistics\"]}");
        put("/api/v1/service/agents/bob", "{\"skills\":[\"logistics\",\"after_sales\"]}");
        String c = open("user_id:desk-1");
        assertThat(say(c, "我的快递到哪了").path("reply").asString()).contains("订单号");
        assertThat(say(c, "20231105887766").path("reply").asString()).contains("已发货").contains("SF1234567890");
        assertThat(commerce.requests.getLast().authorization()).isEqualTo("Bearer s3cret");

        JsonNode handOff = say(c, "还是不放心，转人工");
        assertThat(handOff.path("owner").asString()).isEqualTo("human");
        long ticketId = handOff.path("ticket").asLong();
        JsonNode silent = say(c, "有人吗");
        assertThat(silent.path("reply").isMissingNode() || silent.path("reply").isNull()).isTrue();
        assertThat(silent.path("ticket").asLong()).isEqualTo(ticketId);

        JsonNode ticket = body(get("/api/v1/service/tickets/" + ticketId, brand));
        assertThat(ticket.path("queue").asString()).isEqualTo("logistics");
        assertThat(ticket.path("reason").asString()).isEqualTo("requested");
        assertThat(ticket.path("assignee").asString()).isEqualTo("alice");
        assertThat(ticket.path("summary").asString()).contains("20231105887766");
        assertThat(ticket.path("transcript").size()).isGreaterThanOrEqualTo(5);
        assertThat(ticket.path("profile").path("identities").toString()).contains("user_id:desk-1");

        String c2 = open("user_id:desk-2");
        say(c2, "订单20231105887766的物流一直不动");
        say(c2, "人工客服");
        assertThat(body(get("/api/v1/service/tickets?status=assigned", brand)).toString()).contains("\"assignee\":\"bob\"");

        assertThat(body(get("/api/v1/service/tickets/" + ticketId + "/suggestions", brand)).size()).isGreaterThanOrEqualTo(1);
        var reply = adminPost("/api/v1/service/tickets/" + ticketId + "/messages", brand, "{\"agent\":\"alice\",\"text\":\"您好，包裹明天送达\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(adminPost("/api/v1/service/tickets/" + ticketId + "/close", brand, "{}").statusCode()).isEqualTo(200);
        assertThat(adminPost("/api/v1/service/tickets/" + ticketId + "/close", brand, "{}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/tickets/" + ticketId + "/csat", brand, "{\"score\":5}").statusCode()).isEqualTo(200);
        assertThat(adminPost("/api/v1/service/tickets/" + ticketId + "/csat", brand, "{\"score\":4}").statusCode()).isEqualTo(400);

        JsonNode resumed = say(c, "发票怎么开");
        assertThat(resumed.path("owner").asString()).isEqualTo("bot");
        assertThat(resumed.path("reply").asString()).contains("发票");
        JsonNode transcript = body(get("/api/v1/service/conversations/" + c, brand)).path("messages");
        assertThat(transcript.toString()).contains("\"sender\":\"agent\"").contains("请为我们的服务打分");

        JsonNode stats = profile(brand, "user_id:desk-1").path("stats").path("eventCounts");
        assertThat(stats.path("Ticket Opened").asInt()).isEqualTo(1);
        assertThat(stats.path("Ticket Closed").asInt()).isEqualTo(1);
        assertThat(stats.path("Question Asked").asInt()).isEqualTo(5);

        JsonNode metrics = body(get("/api/v1/service/metrics", brand));
        assertThat(metrics.path("conversations").asInt()).isEqualTo(2);
        assertThat(metrics.path("handOffRate").asDouble()).isEqualTo(1.0);
        assertThat(metrics.path("csatAverage").asDouble()).isEqualTo(5.0);
    }

    @Test
    void anAngryPersonGetsAnUrgentTicketAndAComplaintOnTheProfile() {
        String c = open("user_id:angry-1");
        JsonNode turn = say(c, "你们就是骗子！！垃圾服务，我要去12315投诉");
        assertThat(turn.path("owner").asString()).isEqualTo("human");
        JsonNode ticket = body(get("/api/v1/service/tickets/" + turn.path("ticket").asLong(), brand));
        assertThat(ticket.path("priority").asString()).isEqualTo("URGENT");
        assertThat(ticket.path("queue").asString()).isEqualTo("after_sales");
        assertThat(profile(brand, "user_id:angry-1").path("stats").path("eventCounts").path("Complaint Filed").asInt()).isEqualTo(1);
    }

    @Test
    void aReturnRequestOpensAnAfterSalesTicketWhileTheBotKeepsTheConversation() {
        String c = open("user_id:return-1");
        say(c, "订单20231105887766我要退货");
        JsonNode done = say(c, "质量问题，线头很多");
        assertThat(done.path("owner").asString()).isEqualTo("bot");
        JsonNode ticket = body(get("/api/v1/service/tickets/" + done.path("ticket").asLong(), brand));
        assertThat(ticket.path("kind").asString()).isEqualTo("return");
        assertThat(ticket.path("details").path("order_number").asString()).isEqualTo("20231105887766");
    }

    @Test
    void aVipWithAnOrderProblemGoesStraightToAHuman() {
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"vip-1\"}");
        adminPost("/api/v1/tags/vip/people", brand, "{\"identifiers\":[\"user_id:vip-1\"]}");
        String c = open("user_id:vip-1");
        JsonNode turn = say(c, "我要退货");
        assertThat(turn.path("owner").asString()).isEqualTo("human");
        assertThat(body(get("/api/v1/service/tickets/" + turn.path("ticket").asLong(), brand)).path("priority").asString()).isEqualTo("HIGH");
    }

    @Test
    void repeatedAfterSalesTicketsEarnARuleTagOnTheProfile() {
        var defined = put("/api/v1/segments/frequent_after_sales",
                "{\"condition\":\"count(\\\"Ticket Opened\\\", 90d) >= 3\",\"kind\":\"tag\"}");
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            say(open("user_id:after-sales-1"), "转人工");
            if (i == 1) {
                assertThat(profile(brand, "user_id:after-sales-1").path("tags").toString()).doesNotContain("frequent_after_sales");
            }
        }
        assertThat(profile(brand, "user_id:after-sales-1").path("tags").toString()).contains("frequent_after_sales");
    }

    @Test
    void aRepeatedMessageIdAnswersTheSameReplyOnce() {
        String c = open("user_id:dup-1");
        String body = "{\"text\":\"你好\",\"messageId\":\"m-1\"}";
        JsonNode first = body(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, body));
        JsonNode again = body(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, body));
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("reply").asString()).isEqualTo(first.path("reply").asString());
        assertThat(body(get("/api/v1/service/conversations/" + c, brand)).path("messages").size()).isEqualTo(2);
    }

    @Test
    void rejectsBadConversationInput() {
        assertThat(adminPost("/api/v1/service/conversations", brand, "{\"channel\":\"fax\",\"person\":\"user_id:x\"}").statusCode()).isEqualTo(400);
        var badPerson = adminPost("/api/v1/service/conversations", brand, "{\"person\":\"nobody\"}");
        assertThat(body(badPerson).path("errors").get(0).path("field").asString()).isEqualTo("person");
        String c = open("user_id:bad-1");
        assertThat(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, "{}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, "{\"text\":\"" + "x".repeat(2001) + "\"}").statusCode()).isEqualTo(413);
        assertThat(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, "{\"text\":\"hi\",\"messageId\":\"" + "m".repeat(101) + "\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/conversations/not-a-uuid/messages", brand, "{\"text\":\"hi\"}").statusCode()).isEqualTo(400);
        assertThat(adminPost("/api/v1/service/conversations/00000000-0000-0000-0000-000000000000/messages", brand, "{\"text\":\"hi\"}").statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/service/conversations/" + c + "/messages", brand, "{\"text\":").statusCode()).isEqualTo(400);
        assertThat(put("/api/v1/service/connectors/oms", "{\"url\":\"file:///etc/passwd\"}").statusCode()).isEqualTo(400);
        assertThat(put("/api/v1/service/connectors/erp", "{\"url\":\"http://x\"}").statusCode()).isEqualTo(400);
        assertThat(put("/api/v1/service/agents/a%20b", "{\"skills\":[\"x\"]}").statusCode()).isEqualTo(400);
        assertThat(put("/api/v1/service/agents/ann", "{\"skills\":[]}").statusCode()).isEqualTo(400);
        assertThat(body(get("/api/v1/service/connectors/oms", brand)).toString()).doesNotContain("s3cret");
    }

    @Test
    void hostileTextIsStoredAndEchoedAsPlainText() {
        String c = open("user_id:hostile-1");
        String hostile = "<img src=x onerror=alert(1)>'; DROP TABLE service_messages; --";
        say(c, hostile);
        JsonNode messages = body(get("/api/v1/service/conversations/" + c, brand)).path("messages");
        assertThat(messages.get(0).path("text").asString()).isEqualTo(hostile);
    }

    @Test
    void anotherBrandCannotSeeTheConversation() {
        String c = open("user_id:private-1");
        Brand other = newBrand();
        assertThat(get("/api/v1/service/conversations/" + c, other).statusCode()).isEqualTo(404);
        assertThat(adminPost("/api/v1/service/conversations/" + c + "/messages", other, "{\"text\":\"hi\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void journeysHandAPersonToASpecialistQueueOnce() {
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"journey-1\"}");
        PersonId person = PersonId.parse(profile(brand, "user_id:journey-1").path("id").asString());
        ActionProvider handoff = actions.stream().filter(a -> a.type().equals("handoff")).findFirst().orElseThrow();
        ActionRequest request = new ActionRequest(brand.tenant().id(), "act-1", person, "handoff",
                Map.of("queue", "美妆", "reason", "dormant"), Map.of(), "journey:dormant@1/node:handoff");
        ActionOutcome first = handoff.perform(request);
        ActionOutcome again = handoff.perform(request);
        assertThat(first).isInstanceOf(ActionOutcome.Done.class);
        assertThat(((ActionOutcome.Done) again).output()).isEqualTo(((ActionOutcome.Done) first).output());
        assertThat(body(get("/api/v1/service/tickets?queue=%E7%BE%8E%E5%A6%86", brand)).size()).isEqualTo(1);
        assertThat(handoff.perform(new ActionRequest(brand.tenant().id(), "act-2", person, "handoff", Map.of(), Map.of(), "j")))
                .isInstanceOf(ActionOutcome.Failed.class);
    }

    @Test
    void ticketsWithoutAnAgentReplyPastTheirSlaAreFlaggedOnce() {
        String c = open("user_id:sla-1");
        long id = say(c, "转人工").path("ticket").asLong();
        assertThat(tickets.markBreaches(Instant.now().plus(Duration.ofHours(1))).stream().map(Tickets.Ticket::id)).contains(id);
        assertThat(tickets.markBreaches(Instant.now().plus(Duration.ofHours(2))).stream().map(Tickets.Ticket::id)).doesNotContain(id);
        assertThat(body(get("/api/v1/service/tickets?breached=true", brand)).toString()).contains("\"id\":" + id);
        assertThat(slaWatch.scan()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void theWebWidgetStreamsBotRepliesAsServerSentEvents() throws Exception {
        String c = open("user_id:widget-1");
        HttpRequest request = HttpRequest.newBuilder(URI.create(url("/api/v1/service/conversations/" + c + "/stream")))
                .header("Authorization", "Bearer " + ADMIN).header("X-Siyu-Tenant", brand.slug()).GET().build();
        CompletableFuture<HttpResponse<InputStream>> stream = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response = stream.get(5, TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        return line;
                    }
                }
                return "";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        say(c, "你好");
        assertThat(data.get(5, TimeUnit.SECONDS)).contains("\"sender\":\"bot\"").contains("您好");
    }
}
