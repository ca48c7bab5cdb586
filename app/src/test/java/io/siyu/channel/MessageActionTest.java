package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionRequest;
import io.siyu.action.SendIntent;
import io.siyu.action.SendPolicy;
import io.siyu.identity.PersonId;
import io.siyu.support.ApiTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The {@code message} action as a journey calls it: the send policy is asked first and its answer
 * is the outcome; allowed messages are rendered with the request context and queued once.
 */
class MessageActionTest extends ApiTest {

    @Autowired MessageTemplates templates;
    @Autowired Rendering rendering;
    @Autowired Outbox outbox;
    @Autowired Channels channels;
    @Autowired Addresses addresses;
    @Autowired OutboxWorker worker;
    @Autowired Clock clock;
    @Autowired MessageAction registered;

    /** A policy that answers what the test says and remembers what it was asked. */
    static final class ScriptedPolicy implements SendPolicy {
        final List<SendIntent> asked = new CopyOnWriteArrayList<>();
        final List<SendIntent> sent = new CopyOnWriteArrayList<>();
        volatile Decision answer = Decision.ALLOW;

        @Override
        public Decision decide(SendIntent intent) {
            asked.add(intent);
            return answer;
        }

        @Override
        public void sent(SendIntent intent) {
            sent.add(intent);
        }
    }

    private Dispatcher dispatcher(SendPolicy policy) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("policy", policy));
        return new Dispatcher(templates, rendering, outbox, channels, addresses, beans.getBeanProvider(SendPolicy.class), worker, clock);
    }

    private ActionRequest request(Brand brand, PersonId person, String actionId) {
        return new ActionRequest(brand.tenant().id(), actionId, person, "message", Map.of("template", "coupon-ready", "channel", "inapp"),
                Map.of("name", "王芳", "coupon_code", "C-1"), "journey:welcome@1/node:send-1");
    }

    @Test
    void asksThePolicyWithTheRenderedTextAndHonoursSuppressAndDefer() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"ma-1\"}");
        PersonId person = PersonId.parse(profile(brand, "user_id:ma-1").path("id").asString());
        templates.save(brand.tenant().id(), new MessageTemplate("coupon-ready", "inapp", "券已到账", "{{name}}，券码 {{coupon_code}}", true));
        ScriptedPolicy policy = new ScriptedPolicy();
        Dispatcher dispatcher = dispatcher(policy);

        policy.answer = new SendPolicy.Decision.Suppress("cap:inapp:day");
        assertThat(dispatcher.dispatch(request(brand, person, "a-1"))).isEqualTo(new ActionOutcome.Suppressed("cap:inapp:day"));
        assertThat(policy.asked.getFirst().text()).isEqualTo("王芳，券码 C-1");
        assertThat(policy.asked.getFirst().marketing()).isTrue();
        assertThat(outbox.find(brand.tenant().id(), "a-1")).isEmpty();

        policy.answer = new SendPolicy.Decision.Defer(clock.millis() + 3_600_000, "quiet-hours");
        assertThat(dispatcher.dispatch(request(brand, person, "a-2"))).isInstanceOfSatisfying(ActionOutcome.Retry.class,
                r -> assertThat(r.after()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60)));

        policy.answer = SendPolicy.Decision.ALLOW;
        ActionOutcome done = dispatcher.dispatch(request(brand, person, "a-3"));
        assertThat(done).isEqualTo(new ActionOutcome.Done("inapp:pending", Map.of("message_id", "a-3")));
        int asked = policy.asked.size();
        assertThat(dispatcher.dispatch(request(brand, person, "a-3"))).isInstanceOf(ActionOutcome.Done.class);
        assertThat(policy.asked).as("a repeated action id is answered from the outbox").hasSize(asked);
    }

    @Test
    void aBroadcastChunkDecidedTwiceQueuesEachMessageOnceWithEscapedText() {
        Brand brand = newBrand();
        templates.save(brand.tenant().id(), new MessageTemplate("bc", "inapp", null, "{{name}}\t第二列\\N\n下一行", true));
        Dispatcher dispatcher = dispatcher(new ScriptedPolicy());
        List<ActionRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(new ActionRequest(brand.tenant().id(), "bc-" + i, PersonId.of(brand.tenant().id().value(), i), "message",
                    Map.of("template", "bc"), Map.of("name", "会员" + i), "broadcast:bc"));
        }
        assertThat(dispatcher.dispatchAll(requests)).allMatch(o -> o instanceof ActionOutcome.Done);
        assertThat(dispatcher.dispatchAll(requests)).allMatch(o -> o instanceof ActionOutcome.Done);
        Outbox.Entry entry = outbox.find(brand.tenant().id(), "bc-1").orElseThrow();
        assertThat(entry.body()).isEqualTo("会员1\t第二列\\N\n下一行");
        assertThat(entry.subject()).isNull();
        // every column survives the binary COPY (status, attempts and due time are the worker's by now)
        assertThat(entry.person()).isEqualTo(PersonId.of(brand.tenant().id().value(), 1));
        assertThat(entry.channel()).isEqualTo("inapp");
        assertThat(entry.template()).isEqualTo("bc");
        assertThat(entry.address()).isEqualTo(entry.person().toString());
        assertThat(entry.marketing()).isTrue();
        assertThat(entry.origin()).isEqualTo("broadcast:bc");
        assertThat(entry.lastError()).isNull();
        assertThat(java.time.Duration.between(entry.createdAt(), java.time.Instant.now()).abs()).isLessThan(java.time.Duration.ofMinutes(5));
        assertThat(outbox.deadLetters(brand.tenant().id(), null, 10)).isEmpty();
    }

    @Autowired Receipts receipts;
    @Autowired WebhookEndpoints endpoints;

    /**
     * Drives a private worker at instants far in the future (the application's own worker only
     * sees rows due by the real clock), so backoff and the retry budget are checked exactly.
     */
    @Test
    void retriesWithExponentialBackoffUntilTheBudgetIsSpentThenReportsOnlyRealSendsToThePolicy() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"ma-3\"}");
        PersonId person = PersonId.parse(profile(brand, "user_id:ma-3").path("id").asString());
        endpoints.register(brand.tenant().id(), "down", "http://127.0.0.1:9/never");
        ScriptedPolicy policy = new ScriptedPolicy();
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("policy", policy));
        OutboxWorker future = new OutboxWorker(outbox, channels, receipts, beans.getBeanProvider(SendPolicy.class), clock, 1_000, 4, 1_000, false);
        java.time.Instant t0 = java.time.Instant.parse("2100-01-01T00:00:00Z");
        outbox.add(new Outbox.Entry(brand.tenant().id(), "c-1", person, "webhook", null, "down", null, "x", false, "test",
                Outbox.Status.PENDING, 0, t0, null, t0));
        outbox.add(new Outbox.Entry(brand.tenant().id(), "c-2", person, "inapp", null, person.toString(), null, "您好", true, "test",
                Outbox.Status.PENDING, 0, t0, null, t0));
        future.drain(t0);
        assertThat(outbox.find(brand.tenant().id(), "c-2").orElseThrow().status()).isEqualTo(Outbox.Status.SENT);
        assertThat(policy.sent).extracting(SendIntent::channel).containsExactly("inapp");
        Outbox.Entry first = outbox.find(brand.tenant().id(), "c-1").orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.nextAttemptAt()).isEqualTo(t0.plusSeconds(1));
        future.drain(t0.plusMillis(999));
        assertThat(outbox.find(brand.tenant().id(), "c-1").orElseThrow().attempts()).as("not due before its backoff").isEqualTo(1);
        future.drain(t0.plusSeconds(1));
        assertThat(outbox.find(brand.tenant().id(), "c-1").orElseThrow().nextAttemptAt()).isEqualTo(t0.plusSeconds(1 + 2));
        future.drain(t0.plusSeconds(3));
        assertThat(outbox.find(brand.tenant().id(), "c-1").orElseThrow().nextAttemptAt()).isEqualTo(t0.plusSeconds(3 + 4));
        future.drain(t0.plusSeconds(7));
        Outbox.Entry dead = outbox.find(brand.tenant().id(), "c-1").orElseThrow();
        assertThat(dead.status()).isEqualTo(Outbox.Status.DEAD);
        assertThat(dead.attempts()).isEqualTo(4);
        assertThat(dead.lastError()).startsWith("gave up after 4 attempts: connection");
        assertThat(policy.sent).hasSize(1);
        assertThat(future.backoff(40)).isEqualTo(OutboxWorker.MAX_BACKOFF);
    }

    @Test
    void failsForUnknownTemplatesAndMismatchedChannelsAndIsRegisteredAsTheMessageType() {
        Brand brand = newBrand();
        post("/v1/identify", brand.writeKey(), "{\"userId\":\"ma-2\"}");
        PersonId person = PersonId.parse(profile(brand, "user_id:ma-2").path("id").asString());
        assertThat(registered.type()).isEqualTo("message");
        assertThat(registered.perform(request(brand, person, "b-1"))).isInstanceOfSatisfying(ActionOutcome.Failed.class,
                f -> assertThat(f.reason()).startsWith("template:unknown"));
        templates.save(brand.tenant().id(), new MessageTemplate("coupon-ready", "webhook", null, "x", false));
        assertThat(registered.perform(request(brand, person, "b-2"))).isInstanceOfSatisfying(ActionOutcome.Failed.class,
                f -> assertThat(f.reason()).startsWith("template:channel-mismatch"));
    }
}
