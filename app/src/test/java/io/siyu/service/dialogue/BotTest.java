package io.siyu.service.dialogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.platform.TenantId;
import io.siyu.service.LocalCommerceServer;
import io.siyu.service.connector.HttpInventory;
import io.siyu.service.connector.HttpOrderSystem;
import io.siyu.service.dialogue.BotTurn.Outcome;
import io.siyu.service.dialogue.BotTurn.Priority;
import io.siyu.service.nlu.LanguageUnderstanding;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Multi-turn dialogues against a local HTTP server speaking the OMS and inventory protocol. */
class BotTest {

    private static final TenantId TENANT = new TenantId(7);
    private static final LanguageUnderstanding NLU = LanguageUnderstanding.bundled(Clock.systemUTC());

    private LocalCommerceServer remote;
    private Bot bot;
    private DialogueState state;

    @BeforeEach
    void start() throws IOException {
        remote = new LocalCommerceServer();
        remote.orders.put("20231105887766", "{\"number\":\"20231105887766\",\"status\":\"shipped\",\"carrier\":\"顺丰\",\"trackingNumber\":\"SF1234567890\",\"estimatedDelivery\":\"2026-11-27\"}");
        remote.orders.put("20231105000001", "{\"status\":\"paid\"}");
        remote.stock.put("SKU-1001", "{\"sku\":\"SKU-1001\",\"available\":12}");
        remote.stock.put("SKU-1006", "{\"sku\":\"SKU-1006\",\"available\":0,\"restockDate\":\"2026-12-05\"}");
        bot = botWith(Duration.ofSeconds(2));
        state = new DialogueState();
    }

    @AfterEach
    void stop() {
        remote.close();
    }

    private Bot botWith(Duration timeout) {
        JsonMapper json = JsonMapper.builder().build();
        return new Bot(HttpOrderSystem.connect(remote.omsUrl(), "oms-secret", timeout, json),
                HttpInventory.connect(remote.inventoryUrl(), "", timeout, json), NLU.catalogue(), List.of(new CannedReplies()));
    }

    private BotTurn say(String text) {
        return bot.respond(TENANT, state, text, NLU.understand(text));
    }

    @Test
    void asksForTheOrderNumberThenAnswersWithTracking() {
        BotTurn first = say("我的快递到哪了");
        assertThat(first.outcome()).isEqualTo(new Outcome.Asking(Task.ORDER_STATUS, Task.Slot.ORDER_NUMBER));
        assertThat(first.reply()).contains("订单号");
        BotTurn second = say("20231105887766");
        assertThat(second.reply()).contains("已发货").contains("顺丰").contains("SF1234567890");
        assertThat(second.outcome()).isEqualTo(new Outcome.Completed(Task.ORDER_STATUS));
        assertThat(remote.requests.getFirst().tenant()).isEqualTo("7");
        assertThat(remote.requests.getFirst().authorization()).isEqualTo("Bearer oms-secret");
    }

    @Test
    void answersInOneTurnWhenTheOrderNumberComesWithTheQuestion() {
        BotTurn turn = say("订单20231105000001发货了吗");
        assertThat(turn.reply()).contains("尚未发货");
        assertThat(state.task()).isNull();
    }

    @Test
    void rejectsSomethingThatIsNotAnOrderNumberAndAsksAgain() {
        say("帮我查下物流");
        BotTurn wrong = say("我不记得了，是上周买的");
        assertThat(wrong.outcome()).isInstanceOfAny(Outcome.Asking.class, Outcome.NotUnderstood.class, Outcome.Answered.class);
        assertThat(state.task()).isEqualTo(Task.ORDER_STATUS);
        BotTurn unknown = say("99999999999999");
        assertThat(unknown.reply()).contains("没有查到订单 99999999999999");
        assertThat(state.task()).isEqualTo(Task.ORDER_STATUS);
    }

    @Test
    void contextCarriesTheOrderNumberIntoAnAddressChange() {
        say("订单号20231105887766到哪了");
        BotTurn ask = say("帮我改一下收货地址");
        assertThat(ask.outcome()).isEqualTo(new Outcome.Asking(Task.ADDRESS_CHANGE, Task.Slot.NEW_CONTACT));
        BotTurn done = say("上海市浦东新区世纪大道100号");
        assertThat(done.outcome()).isEqualTo(new Outcome.Completed(Task.ADDRESS_CHANGE));
        assertThat(done.reply()).contains("上海市浦东新区世纪大道100号");
        LocalCommerceServer.Recorded post = remote.requests.getLast();
        assertThat(post.path()).isEqualTo("/oms/orders/20231105887766/address");
        assertThat(post.body()).contains("上海市浦东新区世纪大道100号").doesNotContain("phone");
    }

    @Test
    void anOrderThatLeftTheWarehouseKeepsItsAddress() {
        remote.frozen.put("20231105887766", "包裹已出库");
        BotTurn turn = say("订单20231105887766的电话填错了，改成13912345678");
        assertThat(turn.outcome()).isEqualTo(new Outcome.Completed(Task.ADDRESS_CHANGE));
        assertThat(turn.reply()).contains("暂时无法修改").contains("包裹已出库");
        assertThat(remote.requests.getLast().body()).isEqualTo("{\"phone\":\"13912345678\"}");
        assertThat(state.task()).isNull();
    }

    @Test
    void aReturnRequestAsksForTheReasonAndAsksTheDeskForATicket() {
        BotTurn first = say("我要退货");
        assertThat(first.outcome()).isEqualTo(new Outcome.Asking(Task.RETURN_REQUEST, Task.Slot.ORDER_NUMBER));
        BotTurn second = say("20231105887766");
        assertThat(second.outcome()).isEqualTo(new Outcome.Asking(Task.RETURN_REQUEST, Task.Slot.REASON));
        BotTurn third = say("尺码太小了穿不上");
        assertThat(third.outcome()).isEqualTo(new Outcome.ReturnRequested("20231105887766", "尺码太小了穿不上"));
    }

    @Test
    void checksStockThroughTheInventory() {
        assertThat(say("玫瑰精油还有货吗").reply()).contains("有货").contains("12");
        assertThat(say("那还有库存吗").reply()).as("the product carries over").contains("玫瑰精油");
        state = new DialogueState();
        BotTurn ask = say("还有库存吗");
        assertThat(ask.outcome()).isEqualTo(new Outcome.Asking(Task.STOCK_CHECK, Task.Slot.PRODUCT));
        assertThat(say("口红").reply()).contains("缺货").contains("2026-12-05");
    }

    @Test
    void askingForAPersonInterruptsATask() {
        say("查一下物流");
        BotTurn turn = say("转人工");
        assertThat(turn.outcome()).isInstanceOf(Outcome.HandOff.class);
        assertThat(((Outcome.HandOff) turn.outcome()).reason()).isEqualTo("requested");
        assertThat(state.task()).isNull();
    }

    @Test
    void angerInterruptsWithUrgentPriority() {
        say("我要退货");
        BotTurn turn = say("你们这群骗子，垃圾！！！");
        assertThat(turn.outcome()).isEqualTo(new Outcome.HandOff("angry", Priority.URGENT, "after_sales"));
    }

    @Test
    void twoTurnsInARowNotUnderstoodHandOff() {
        assertThat(say("月亮离地球多远").outcome()).isInstanceOf(Outcome.NotUnderstood.class);
        BotTurn second = say("你喜欢吃火锅吗");
        assertThat(second.outcome()).isInstanceOf(Outcome.HandOff.class);
        assertThat(((Outcome.HandOff) second.outcome()).reason()).isEqualTo("low_confidence");
    }

    @Test
    void aSlowOrderSystemHandsOffInsteadOfHanging() {
        remote.delayMillis = 1_000;
        Bot impatient = botWith(Duration.ofMillis(200));
        long started = System.nanoTime();
        BotTurn turn = impatient.respond(TENANT, state, "订单20231105887766到哪了", NLU.understand("订单20231105887766到哪了"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
        assertThat(((Outcome.HandOff) turn.outcome()).reason()).isEqualTo("connector_unavailable");
    }

    @Test
    void withoutAnOrderSystemOrderQuestionsGoToAHuman() {
        Bot unconnected = new Bot(null, null, NLU.catalogue(), List.of(new CannedReplies()));
        BotTurn turn = unconnected.respond(TENANT, state, "订单20231105887766到哪了", NLU.understand("订单20231105887766到哪了"));
        assertThat(turn.outcome()).isEqualTo(new Outcome.HandOff("connector_unavailable", Priority.NORMAL, "logistics"));
    }

    @Test
    void answersOtherQuestionsAndKeepsThePendingSlot() {
        say("我的快递到哪了");
        BotTurn turn = say("发票怎么开");
        assertThat(turn.reply()).contains("发票").contains("订单号");
        assertThat(state.task()).isEqualTo(Task.ORDER_STATUS);
    }

    @Test
    void answersInEnglishToEnglish() {
        assertThat(say("where is my order").reply()).isEqualTo("Please send me your order number.");
    }

    @Test
    void refusesAMisconfiguredEndpoint() {
        assertThatThrownBy(() -> HttpOrderSystem.connect("ftp://oms", "", Duration.ofSeconds(1), JsonMapper.builder().build()))
                .hasMessageContaining("siyu.service.oms.url");
    }

    @Test
    void stateSurvivesARoundTripThroughItsMap() {
        say("订单号20231105887766，帮我改地址");
        DialogueState copy = DialogueState.fromMap(state.toMap());
        assertThat(copy.toMap()).isEqualTo(state.toMap());
        assertThat(copy.task()).isEqualTo(Task.ADDRESS_CHANGE);
    }
}
