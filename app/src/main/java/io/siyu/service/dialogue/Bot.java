package io.siyu.service.dialogue;

import io.siyu.platform.TenantId;
import io.siyu.service.connector.ConnectorUnavailable;
import io.siyu.service.connector.Inventory;
import io.siyu.service.connector.OrderSystem;
import io.siyu.service.dialogue.BotTurn.Outcome;
import io.siyu.service.dialogue.BotTurn.Priority;
import io.siyu.service.dialogue.Task.Slot;
import io.siyu.service.nlu.Catalogue;
import io.siyu.service.nlu.Entity;
import io.siyu.service.nlu.Intents;
import io.siyu.service.nlu.LanguageUnderstanding.Understanding;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One bot turn: interruptions first (asked for a person, anger), then the slot a task is waiting
 * for, then a complaint hands off, then the intent: start or switch a task (facts remembered from earlier turns
 * pre-fill it, so context carries over), or answer from {@link Answers} and re-ask the pending slot.
 * Two turns in a row the bot does not understand, or three failed tries at a slot, hand off.
 */
public final class Bot {

    static final int MAX_MISUNDERSTOOD = 2;
    static final int MAX_FAILED_ATTEMPTS = 3;
    /** An FAQ this close to the question answers it even when the intent would start a task. */
    static final double FAQ_OVER_TASK = 0.6;

    private static final String ORDER = "order_number";
    private static final String PRODUCT = "product";
    private static final String NEW_ADDRESS = "new_address";
    private static final String NEW_PHONE = "new_phone";
    /** The last intent that named a subject, so "转人工" after an order question reaches the logistics queue. */
    private static final String TOPIC = "topic";
    private static final java.util.Set<String> TOPICLESS = java.util.Set.of(Intents.GREETING, Intents.GOODBYE, Intents.HUMAN_AGENT);
    private static final Pattern HUMAN_WORDS = Pattern.compile("人工|真人|real person|human agent|live agent");
    private static final Pattern REASON_CUES = Pattern.compile("坏|破|质量|不合适|不喜欢|错|假|不想要|不要了|太大|太小|瑕疵|过敏|少发|漏发");
    private static final String ADDRESS_MARKERS = "省市区县镇路街道巷弄号楼栋室村";

    private final @Nullable OrderSystem orders;
    private final @Nullable Inventory inventory;
    private final Catalogue catalogue;
    private final List<Answers> answers;

    /**
     * @param orders    null when no order system is configured: order tasks then hand off
     * @param inventory null when no inventory is configured: stock checks then hand off
     * @param answers   asked in order; the first answer wins
     */
    public Bot(@Nullable OrderSystem orders, @Nullable Inventory inventory, Catalogue catalogue, List<Answers> answers) {
        this.orders = orders;
        this.inventory = inventory;
        this.catalogue = catalogue;
        this.answers = List.copyOf(answers);
    }

    public BotTurn respond(TenantId tenant, DialogueState state, String text, Understanding u) {
        Voice voice = Voice.of(text);
        remember(state, u);
        String topic = state.remembered(TOPIC);
        String queue = queueFor(state.task(), topic == null ? u.topIntent() : topic);
        if (Intents.HUMAN_AGENT.equals(u.intent()) || HUMAN_WORDS.matcher(text.toLowerCase()).find()) {
            return handOff(state, "requested", Priority.NORMAL, queue,
                    voice.say("好的，正在为您转接人工客服，请稍候。", "Sure, I'm connecting you to a human agent now."));
        }
        if (u.sentiment().angry()) {
            return handOff(state, "angry", Priority.URGENT, "after_sales",
                    voice.say("非常抱歉给您带来不好的体验，已为您优先转接人工客服处理。", "I'm very sorry. I'm putting you through to a human agent with priority."));
        }
        Slot awaiting = state.awaiting();
        if (awaiting != null && fill(state, awaiting, text, u)) {
            state.understood();
            return advance(tenant, state, voice);
        }
        if (u.confident() && !TOPICLESS.contains(u.intent())) {
            state.remember(TOPIC, u.intent()); // only a message that is not a slot answer says what the conversation is about
        }
        if (Intents.COMPLAINT.equals(u.intent())) {
            // after the slot check: "质量太差" answers "why do you return it?" and is not a new complaint
            return handOff(state, "complaint", Priority.HIGH, "after_sales",
                    voice.say("很抱歉让您不满意，您的问题已转给专人处理，请稍候。", "Sorry about this. A specialist will take over your case shortly."));
        }
        if (!u.confident()) {
            if (state.misunderstood() >= MAX_MISUNDERSTOOD) {
                return handOff(state, "low_confidence", Priority.NORMAL, queue,
                        voice.say("抱歉我没能理解您的问题，已为您转接人工客服。", "Sorry, I couldn't follow. Let me get a human agent for you."));
            }
            String reply = voice.say("抱歉，我没太明白您的意思，可以换个说法吗？", "Sorry, I didn't quite get that. Could you rephrase?");
            return new BotTurn(awaiting == null ? reply : reply + " " + prompt(awaiting, voice), new Outcome.NotUnderstood(text, u.topIntent()));
        }
        state.understood();
        Optional<Task> task = Task.startedBy(u.intent());
        if (task.isPresent() && state.task() != task.get() && u.entities().isEmpty()) {
            // "退货运费谁出" is a policy question about returns, not a return: a close FAQ match wins over starting the task
            Optional<Answers.Answer> faq = firstAnswer(tenant, text, u.intent()).filter(a -> a.confidence() >= FAQ_OVER_TASK);
            if (faq.isPresent()) {
                return new BotTurn(faq.get().text(), new Outcome.Answered(u.intent(), faq.get().source()));
            }
        }
        if (task.isPresent()) {
            if (state.task() != task.get()) {
                state.start(task.get());
                prefill(state, text, u);
            }
            return advance(tenant, state, voice);
        }
        return answer(tenant, state, text, u, voice);
    }

    private BotTurn answer(TenantId tenant, DialogueState state, String text, Understanding u, Voice voice) {
        if (Intents.GOODBYE.equals(u.intent())) {
            state.finish();
        }
        Optional<Answers.Answer> answer = firstAnswer(tenant, text, u.intent());
        if (answer.isPresent()) {
            Slot pending = state.awaiting();
            String reply = pending == null ? answer.get().text() : answer.get().text() + "\n" + prompt(pending, voice);
            return new BotTurn(reply, new Outcome.Answered(u.intent(), answer.get().source()));
        }
        return new BotTurn(voice.say("这个问题我暂时回答不了，回复「转人工」可以联系人工客服。",
                "I can't answer that yet; reply \"human\" to reach an agent."), new Outcome.NotUnderstood(text, u.intent()));
    }

    private Optional<Answers.Answer> firstAnswer(TenantId tenant, String text, String intent) {
        for (Answers source : answers) {
            Optional<Answers.Answer> answer = source.find(tenant, text, intent);
            if (answer.isPresent()) {
                return answer;
            }
        }
        return Optional.empty();
    }

    private void remember(DialogueState state, Understanding u) {
        for (Entity e : u.entities()) {
            switch (e.type()) {
                case Entity.ORDER_NUMBER -> state.remember(ORDER, e.value());
                case Entity.PRODUCT -> state.remember(PRODUCT, e.value());
                default -> { }
            }
        }
    }

    /** A new task takes what this message and earlier turns already said. */
    private void prefill(DialogueState state, String text, Understanding u) {
        Task task = state.task();
        if (task == null) {
            return;
        }
        for (Slot slot : task.slots()) {
            switch (slot) {
                case ORDER_NUMBER -> {
                    String order = state.remembered(ORDER);
                    if (order != null) {
                        state.fill(slot, order);
                    }
                }
                case PRODUCT -> {
                    String product = state.remembered(PRODUCT);
                    if (product != null) {
                        state.fill(slot, product);
                    }
                }
                case NEW_CONTACT -> fillContact(state, text, u);
                case REASON -> {
                    if (REASON_CUES.matcher(text).find()) {
                        state.fill(slot, text.strip());
                    }
                }
            }
        }
    }

    /** Validates the answer to the slot the task is waiting for; true when it filled it. */
    private boolean fill(DialogueState state, Slot slot, String text, Understanding u) {
        return switch (slot) {
            case ORDER_NUMBER -> {
                List<Entity> orders = u.entities(Entity.ORDER_NUMBER);
                if (orders.isEmpty()) {
                    yield false;
                }
                state.fill(slot, orders.getFirst().value());
                yield true;
            }
            case PRODUCT -> {
                List<Entity> products = u.entities(Entity.PRODUCT);
                if (products.isEmpty()) {
                    yield false;
                }
                state.fill(slot, products.getFirst().value());
                yield true;
            }
            case NEW_CONTACT -> fillContact(state, text, u);
            case REASON -> {
                String reason = text.strip();
                if (reason.length() < 2 || u.confident() && Task.startedBy(u.intent()).filter(t -> t != Task.RETURN_REQUEST).isPresent()) {
                    yield false;
                }
                state.fill(slot, reason);
                yield true;
            }
        };
    }

    private boolean fillContact(DialogueState state, String text, Understanding u) {
        List<Entity> phones = u.entities(Entity.PHONE);
        String address = looksLikeAddress(text, phones);
        if (phones.isEmpty() && address == null) {
            return false;
        }
        if (!phones.isEmpty()) {
            state.remember(NEW_PHONE, phones.getFirst().value());
        }
        if (address != null) {
            state.remember(NEW_ADDRESS, address);
        }
        state.fill(Slot.NEW_CONTACT, "given");
        return true;
    }

    /** The address part of {@code text} when it names at least two kinds of place (e.g. 市 and 区). */
    static @Nullable String looksLikeAddress(String text, List<Entity> phones) {
        String rest = text;
        for (Entity phone : phones) {
            rest = rest.replace(text.substring(phone.start(), phone.end()), " ");
        }
        int start = 0;
        for (String lead : new String[] {"改成", "改到", "改为", "换成", "寄到", "送到", "新地址是", "新地址", "地址是", "地址："}) {
            int at = rest.indexOf(lead);
            if (at >= 0) {
                start = Math.max(start, at + lead.length());
            }
        }
        String candidate = rest.substring(start).replaceAll("[，,。！!？?\\s]+$", "").strip();
        long markers = ADDRESS_MARKERS.chars().filter(c -> candidate.indexOf(c) >= 0).count();
        return candidate.length() >= 6 && markers >= 2 ? candidate : null;
    }

    private BotTurn advance(TenantId tenant, DialogueState state, Voice voice) {
        Task task = state.task();
        Slot missing = state.awaiting();
        if (task == null) {
            throw new IllegalStateException("advance without a task");
        }
        if (missing != null) {
            return new BotTurn(prompt(missing, voice), new Outcome.Asking(task, missing));
        }
        try {
            return switch (task) {
                case ORDER_STATUS -> orderStatus(tenant, state, voice);
                case ADDRESS_CHANGE -> addressChange(tenant, state, voice);
                case RETURN_REQUEST -> returnRequest(tenant, state, voice);
                case STOCK_CHECK -> stockCheck(tenant, state, voice);
            };
        } catch (ConnectorUnavailable e) {
            return handOff(state, "connector_unavailable", Priority.NORMAL, queueFor(task, ""),
                    voice.say("系统暂时无法查询，已为您转接人工客服。", "I can't reach the system right now, so I'm passing you to a human agent."));
        }
    }

    private BotTurn orderStatus(TenantId tenant, DialogueState state, Voice voice) {
        String number = requireSlot(state, Slot.ORDER_NUMBER);
        Optional<OrderSystem.Order> found = requireOrders().find(tenant, number);
        if (found.isEmpty()) {
            return orderNotFound(state, number, voice);
        }
        OrderSystem.Order order = found.get();
        state.finish();
        String reply = switch (order.status()) {
            case "shipped" -> voice.say("您的订单 " + number + " 已发货，" + nz(order.carrier(), "快递") + "运单号 " + nz(order.trackingNumber(), "暂无")
                    + (order.estimatedDelivery() == null ? "。" : "，预计 " + order.estimatedDelivery() + " 送达。"),
                    "Order " + number + " has shipped with " + nz(order.carrier(), "the carrier") + ", tracking " + nz(order.trackingNumber(), "n/a") + ".");
            case "delivered" -> voice.say("您的订单 " + number + " 已签收（运单号 " + nz(order.trackingNumber(), "暂无") + "）。如未收到，请回复「转人工」。",
                    "Order " + number + " was delivered (tracking " + nz(order.trackingNumber(), "n/a") + ").");
            case "pending", "paid" -> voice.say("您的订单 " + number + " 正在备货，尚未发货，发货后会第一时间通知您。",
                    "Order " + number + " is being prepared and has not shipped yet.");
            default -> voice.say("您的订单 " + number + " 状态为：" + (order.status().equals("cancelled") ? "已取消" : "已退款") + "。",
                    "Order " + number + " is " + order.status() + ".");
        };
        return new BotTurn(reply, new Outcome.Completed(Task.ORDER_STATUS));
    }

    private BotTurn addressChange(TenantId tenant, DialogueState state, Voice voice) {
        String number = requireSlot(state, Slot.ORDER_NUMBER);
        String address = state.remembered(NEW_ADDRESS);
        String phone = state.remembered(NEW_PHONE);
        OrderSystem.AddressChange result = requireOrders().changeAddress(tenant, number, address, phone);
        state.finish();
        return switch (result) {
            case OrderSystem.AddressChange.Changed changed -> new BotTurn(voice.say(
                    "已为您修改订单 " + number + " 的收货信息：" + (address == null ? "" : "地址 " + changed.address()) + (phone == null ? "" : " 电话 " + changed.phone()),
                    "Order " + number + " now goes to: " + (address == null ? "" : changed.address()) + (phone == null ? "" : " phone " + changed.phone())),
                    new Outcome.Completed(Task.ADDRESS_CHANGE));
            case OrderSystem.AddressChange.Refused refused -> new BotTurn(voice.say(
                    "订单 " + number + " 暂时无法修改收货信息：" + refused.reason() + "。如需帮助请回复「转人工」。",
                    "Order " + number + " can't be changed: " + refused.reason() + ". Reply \"human\" for help."),
                    new Outcome.Completed(Task.ADDRESS_CHANGE));
        };
    }

    private BotTurn returnRequest(TenantId tenant, DialogueState state, Voice voice) {
        String number = requireSlot(state, Slot.ORDER_NUMBER);
        String reason = requireSlot(state, Slot.REASON);
        if (orders != null && orders.find(tenant, number).isEmpty()) {
            return orderNotFound(state, number, voice);
        }
        state.finish();
        return new BotTurn(voice.say("已为您提交订单 " + number + " 的退货申请，售后专员会在 24 小时内联系您。",
                "Your return request for order " + number + " is filed; after-sales will contact you within 24 hours."),
                new Outcome.ReturnRequested(number, reason));
    }

    private BotTurn stockCheck(TenantId tenant, DialogueState state, Voice voice) {
        String name = requireSlot(state, Slot.PRODUCT);
        Optional<Catalogue.Item> item = catalogue.find(name).filter(i -> i.sku() != null);
        if (item.isEmpty()) {
            state.clear(Slot.PRODUCT);
            return new BotTurn(voice.say("请告诉我具体的商品名称，我帮您查库存。", "Which product exactly? I'll check the stock."),
                    new Outcome.Asking(Task.STOCK_CHECK, Slot.PRODUCT));
        }
        if (inventory == null) {
            throw new ConnectorUnavailable("no inventory configured (siyu.service.inventory.url)");
        }
        String sku = item.get().sku();
        Optional<Inventory.Stock> stock = inventory.stock(tenant, sku == null ? name : sku);
        state.finish();
        String reply;
        if (stock.isEmpty()) {
            reply = voice.say("暂时没有查到「" + name + "」的库存信息。", "I couldn't find stock information for " + name + ".");
        } else if (stock.get().available() > 0) {
            reply = voice.say("「" + name + "」目前有货（库存 " + stock.get().available() + " 件），可以放心下单。",
                    name + " is in stock (" + stock.get().available() + " available).");
        } else {
            reply = voice.say("「" + name + "」暂时缺货，" + (stock.get().restockDate() == null ? "补货时间待定。" : "预计 " + stock.get().restockDate() + " 补货。"),
                    name + " is out of stock" + (stock.get().restockDate() == null ? "." : ", restock expected " + stock.get().restockDate() + "."));
        }
        return new BotTurn(reply, new Outcome.Completed(Task.STOCK_CHECK));
    }

    private BotTurn orderNotFound(DialogueState state, String number, Voice voice) {
        state.clear(Slot.ORDER_NUMBER);
        Task task = state.task();
        if (state.failedAttempt() >= MAX_FAILED_ATTEMPTS || task == null) {
            return handOff(state, "task_failed", Priority.NORMAL, queueFor(task, ""),
                    voice.say("多次未查到订单，已为您转接人工客服核实。", "I still can't find the order, so I'm passing you to a human agent."));
        }
        return new BotTurn(voice.say("没有查到订单 " + number + "，请核对订单号后重新发送。", "I can't find order " + number + ". Please check the number and send it again."),
                new Outcome.Asking(task, Slot.ORDER_NUMBER));
    }

    private OrderSystem requireOrders() {
        if (orders == null) {
            throw new ConnectorUnavailable("no order system configured (siyu.service.oms.url)");
        }
        return orders;
    }

    private static String requireSlot(DialogueState state, Slot slot) {
        String value = state.slot(slot);
        if (value == null) {
            throw new IllegalStateException(slot + " is not filled for " + state.task());
        }
        return value;
    }

    private static BotTurn handOff(DialogueState state, String reason, Priority priority, String queue, String reply) {
        state.finish();
        state.understood();
        return new BotTurn(reply, new Outcome.HandOff(reason, priority, queue));
    }

    static String prompt(Slot slot, Voice voice) {
        return switch (slot) {
            case ORDER_NUMBER -> voice.say("请提供您的订单号（在「我的订单」里可以找到）。", "Please send me your order number.");
            case NEW_CONTACT -> voice.say("请发送新的收货地址或收件人手机号。", "Please send the new address or recipient phone number.");
            case REASON -> voice.say("请简单说明退货原因（如尺码不合适、质量问题）。", "Please tell me briefly why you're returning it.");
            case PRODUCT -> voice.say("请问您想查询哪款商品的库存？", "Which product would you like me to check?");
        };
    }

    /** The agent queue (skill) for a hand-off: what the conversation is about. */
    static String queueFor(@Nullable Task task, String intent) {
        if (task != null) {
            return switch (task) {
                case ORDER_STATUS, ADDRESS_CHANGE -> "logistics";
                case RETURN_REQUEST -> "after_sales";
                case STOCK_CHECK -> "sales";
            };
        }
        return switch (intent) {
            case Intents.ORDER_STATUS, Intents.SHIPPING_TIME, Intents.ADDRESS_CHANGE -> "logistics";
            case Intents.RETURN_REFUND, Intents.EXCHANGE, Intents.COMPLAINT -> "after_sales";
            case Intents.INVOICE, Intents.PAYMENT_ISSUE -> "billing";
            case Intents.STOCK_CHECK, Intents.PRODUCT_INFO, Intents.PROMOTION, Intents.COUPON, Intents.MEMBERSHIP_POINTS -> "sales";
            default -> "general";
        };
    }

    private static String nz(@Nullable String value, String fallback) {
        return value == null ? fallback : value;
    }
}
