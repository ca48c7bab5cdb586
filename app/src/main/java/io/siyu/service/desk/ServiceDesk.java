package io.siyu.service.desk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.siyu.action.ContentGate;
import io.siyu.identity.Identifier;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import io.siyu.service.desk.Conversations.Conversation;
import io.siyu.service.desk.Conversations.Message;
import io.siyu.service.dialogue.Bot;
import io.siyu.service.dialogue.BotTurn;
import io.siyu.service.dialogue.BotTurn.Outcome;
import io.siyu.service.dialogue.BotTurn.Priority;
import io.siyu.service.dialogue.DialogueState;
import io.siyu.service.nlu.Intents;
import io.siyu.service.nlu.LanguageUnderstanding;
import io.siyu.service.nlu.LanguageUnderstanding.Understanding;
import io.siyu.service.nlu.Sentiment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs the service desk: a person's message is stored, understood, and answered by the bot while
 * the bot owns the conversation; a hand-off opens a ticket and makes a human the owner until the
 * ticket closes. Messages of one conversation are handled one at a time (row lock).
 */
@Service
public class ServiceDesk {

    /** What the desk did with one incoming message. {@code reply} is null while a human owns the conversation. */
    public record Exchange(UUID conversation, int seq, @Nullable String reply, String owner, String intent, double confidence,
            Sentiment sentiment, @Nullable Long ticket, boolean duplicate) {}

    static final Set<String> VIP_TRIGGERS = Set.of(Intents.RETURN_REFUND, Intents.EXCHANGE, Intents.PAYMENT_ISSUE, Intents.ORDER_STATUS);

    private final LanguageUnderstanding nlu;
    private final Bot bot;
    private final Conversations conversations;
    private final Tickets tickets;
    private final Agents agents;
    private final ServiceEvents events;
    private final ConversationStreams streams;
    private final ProfileDirectory profiles;
    private final ObjectProvider<ContentGate> contentGate;
    private final List<ConversationOutbound> outbound;
    private final Clock clock;
    private final String vipTag;
    private final MeterRegistry meters;
    private final Timer botReply;
    private final Timer agentFirstResponse;
    private final DistributionSummary csat;

    ServiceDesk(LanguageUnderstanding nlu, Bot bot, Conversations conversations, Tickets tickets, Agents agents, ServiceEvents events,
            ConversationStreams streams, ProfileDirectory profiles, ObjectProvider<ContentGate> contentGate,
            ObjectProvider<ConversationOutbound> outbound, Clock clock, MeterRegistry meters,
            @Value("${siyu.service.vip-tag:vip}") String vipTag) {
        this.nlu = nlu;
        this.bot = bot;
        this.conversations = conversations;
        this.tickets = tickets;
        this.agents = agents;
        this.events = events;
        this.streams = streams;
        this.profiles = profiles;
        this.contentGate = contentGate;
        this.outbound = outbound.orderedStream().toList();
        this.clock = clock;
        this.vipTag = vipTag;
        this.meters = meters;
        this.botReply = Timer.builder("siyu.service.bot.reply").description("NLU + dialogue + answer, per message")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.agentFirstResponse = Timer.builder("siyu.service.agent.first.response").description("ticket opened → first agent reply").register(meters);
        this.csat = DistributionSummary.builder("siyu.service.csat").description("CSAT scores 1–5").register(meters);
    }

    public Conversation open(TenantId tenant, String channel, String person) {
        Conversation conversation = conversations.open(tenant, channel, person, clock.instant());
        meters.counter("siyu.service.conversations", "channel", channel).increment();
        return conversation;
    }

    @Transactional
    public Exchange receive(TenantId tenant, UUID id, String text, @Nullable String clientMessageId) {
        Conversation conversation = conversations.lock(tenant, id);
        if (clientMessageId != null) {
            Optional<Integer> earlier = conversations.seqOfClientMessage(id, clientMessageId);
            if (earlier.isPresent()) {
                return replay(tenant, conversation, earlier.get());
            }
        }
        Instant now = clock.instant();
        long started = System.nanoTime();
        Understanding u = nlu.understand(text);
        int seq = conversations.append(id, "person", null, text, clientMessageId, u.intent(), u.confidence(), u.sentiment().label(),
                u.sentiment().score(), now);
        events.record(tenant, conversation.person(), "Question Asked", "svc-q-" + id + "-" + seq,
                Map.of("conversation_id", id.toString(), "intent", u.intent()));
        if (conversation.ownedByHuman()) {
            Long ticket = tickets.openFor(tenant, id).map(Tickets.Ticket::id).orElse(null);
            return new Exchange(id, seq, null, "human", u.intent(), u.confidence(), u.sentiment(), ticket, false);
        }
        DialogueState state = DialogueState.fromMap(conversation.dialogue());
        BotTurn turn = vipHandOff(tenant, conversation, u).orElseGet(() -> bot.respond(tenant, state, text, u));
        String reply = turn.reply();
        Outcome outcome = turn.outcome();
        ContentGate.Result gate = contentGate.getIfAvailable(() -> (t, s) -> ContentGate.Result.PASSED).check(tenant, reply);
        if (gate.verdict() != ContentGate.Verdict.PASS && !(outcome instanceof Outcome.HandOff)) {
            // a bot answer the compliance check does not pass is never sent; a human answers instead
            reply = "这个问题已为您转接人工客服处理，请稍候。";
            outcome = new Outcome.HandOff("content_" + gate.verdict().name().toLowerCase(), Priority.NORMAL, "general");
        }
        Long ticket = null;
        String owner = "bot";
        if (outcome instanceof Outcome.ReturnRequested request) {
            ticket = openTicket(tenant, conversation, "return", "after_sales", "return_request", Priority.NORMAL,
                    Map.of("order_number", request.orderNumber(), "reason", request.reason()), u);
            reply = reply + "（工单号 / ticket #" + ticket + "）";
        }
        int replySeq = say(tenant, id, "bot", null, reply, now);
        if (outcome instanceof Outcome.HandOff handOff) {
            ticket = openTicket(tenant, conversation, "handoff", handOff.queue(), handOff.reason(), handOff.priority(), Map.of(), u);
            owner = "human";
            meters.counter("siyu.service.handoffs", "reason", handOff.reason()).increment();
        }
        if (outcome instanceof Outcome.NotUnderstood || outcome instanceof Outcome.Answered answered && answered.source().equals("canned")
                && !Intents.GREETING.equals(u.intent()) && !Intents.GOODBYE.equals(u.intent())) {
            // not understood, or only a generic reply: the knowledge base lacks this question
            conversations.unanswered(tenant, text, now);
        }
        conversations.save(id, owner, state.toMap(), "human".equals(owner), now);
        botReply.record(Duration.ofNanos(System.nanoTime() - started));
        return new Exchange(id, replySeq, reply, owner, u.intent(), u.confidence(), u.sentiment(), ticket, false);
    }

    /** VIP rule: a person holding the VIP tag who is unhappy or has an order problem goes straight to a human. */
    private Optional<BotTurn> vipHandOff(TenantId tenant, Conversation conversation, Understanding u) {
        boolean unhappy = !Sentiment.NEUTRAL.equals(u.sentiment().label()) && !Sentiment.POSITIVE.equals(u.sentiment().label());
        if (!unhappy && !VIP_TRIGGERS.contains(u.intent())) {
            return Optional.empty();
        }
        boolean vip = profile(tenant, conversation.person()).map(p -> p.tags().contains(vipTag)).orElse(false);
        if (!vip) {
            return Optional.empty();
        }
        return Optional.of(new BotTurn("尊敬的会员，已为您安排专属客服，请稍候。", new Outcome.HandOff("vip", Priority.HIGH, "vip")));
    }

    private Exchange replay(TenantId tenant, Conversation conversation, int personSeq) {
        List<Message> later = conversations.after(conversation.id(), personSeq - 1);
        Message asked = later.getFirst();
        Message answer = later.stream().filter(m -> m.seq() == personSeq + 1 && m.sender().equals("bot")).findFirst().orElse(null);
        Long ticket = tickets.openFor(tenant, conversation.id()).map(Tickets.Ticket::id).orElse(null);
        return new Exchange(conversation.id(), answer == null ? personSeq : answer.seq(), answer == null ? null : answer.text(),
                conversation.owner(), asked.intent() == null ? Intents.FALLBACK : asked.intent(),
                asked.confidence() == null ? 0 : asked.confidence(),
                new Sentiment(asked.sentiment() == null ? Sentiment.NEUTRAL : asked.sentiment(), asked.sentimentScore() == null ? 0 : asked.sentimentScore()),
                ticket, true);
    }

    /**
     * Opens a ticket for a conversation, or for a person without one (journey hand-off): summary,
     * profile snapshot, transcript, least-loaded agent with the queue's skill, SLA by priority.
     */
    long openTicket(TenantId tenant, Conversation conversation, String kind, String queue, String reason, Priority priority,
            Map<String, Object> details, Understanding last) {
        return openTicket(tenant, conversation, conversation.person(), kind, queue, reason, priority, details, last, null);
    }

    long openTicket(TenantId tenant, @Nullable Conversation conversation, String person, String kind, String queue, String reason,
            Priority priority, Map<String, Object> details, @Nullable Understanding last, @Nullable String actionId) {
        Instant now = clock.instant();
        List<Message> transcript = conversation == null ? List.of() : conversations.transcript(conversation.id());
        String summary = Summaries.summarise(transcript, reason);
        Object profile = profile(tenant, person).orElse(null);
        String assignee = agents.leastLoaded(tenant, queue).orElse(null);
        long id = tickets.open(tenant, new Tickets.NewTicket(conversation == null ? null : conversation.id(), person, kind, queue, reason,
                priority.name(), assignee, summary, details, profile, transcript, actionId, now.plus(sla(priority)), now));
        events.record(tenant, person, "Ticket Opened", "svc-ticket-opened-" + tenant.value() + "-" + id,
                Map.of("ticket_id", Long.toString(id), "queue", queue, "priority", priority.name(), "reason", reason, "kind", kind));
        if (last != null && (reason.equals("angry") || reason.equals("complaint") || Intents.COMPLAINT.equals(last.intent()))) {
            events.record(tenant, person, "Complaint Filed", "svc-complaint-" + tenant.value() + "-" + id,
                    Map.of("ticket_id", Long.toString(id), "sentiment", last.sentiment().label(), "sentiment_score", last.sentiment().score(),
                            "complaint_type", queue));
        }
        meters.counter("siyu.service.tickets.opened", "queue", queue, "priority", priority.name()).increment();
        return id;
    }

    /** First response deadline by priority. */
    static Duration sla(Priority priority) {
        return switch (priority) {
            case URGENT -> Duration.ofMinutes(2);
            case HIGH -> Duration.ofMinutes(5);
            case NORMAL -> Duration.ofMinutes(30);
        };
    }

    @Transactional
    public int agentReply(TenantId tenant, long ticketId, String agent, String text) {
        Tickets.Ticket ticket = tickets.require(tenant, ticketId);
        if (ticket.status().equals("closed")) {
            throw new InvalidInput("ticket", "open", "工单已关闭 / the ticket is closed");
        }
        ContentGate.Result gate = contentGate.getIfAvailable(() -> (t, s) -> ContentGate.Result.PASSED).check(tenant, text);
        if (gate.verdict() == ContentGate.Verdict.BLOCK) {
            throw new InvalidInput("text", "content", "内容未通过合规检查 / the reply breaks content rules: " + gate.findings());
        }
        Instant now = clock.instant();
        if (ticket.firstResponseAt() == null) {
            agentFirstResponse.record(Duration.between(ticket.createdAt(), now));
        }
        tickets.replied(ticketId, agent, now);
        if (ticket.conversationId() == null) {
            return 0;
        }
        conversations.lock(tenant, ticket.conversationId());
        return say(tenant, ticket.conversationId(), "agent", agent, text, now);
    }

    @Transactional
    public void close(TenantId tenant, long ticketId) {
        Tickets.Ticket ticket = tickets.require(tenant, ticketId);
        Instant now = clock.instant();
        if (!tickets.close(ticketId, now)) {
            throw new InvalidInput("ticket", "open", "工单已关闭 / the ticket is already closed");
        }
        if (ticket.conversationId() != null && ticket.kind().equals("handoff")) {
            conversations.lock(tenant, ticket.conversationId());
            if (tickets.openFor(tenant, ticket.conversationId()).isEmpty()) {
                conversations.setOwner(ticket.conversationId(), "bot", now);
            }
            say(tenant, ticket.conversationId(), "system", null, "本次人工服务已结束，请为我们的服务打分（1–5 分）。/ Please rate this service from 1 to 5.", now);
        }
        events.record(tenant, ticket.person(), "Ticket Closed", "svc-ticket-closed-" + tenant.value() + "-" + ticketId,
                Map.of("ticket_id", Long.toString(ticketId), "queue", ticket.queue()));
    }

    public void rate(TenantId tenant, long ticketId, int score) {
        if (score < 1 || score > 5) {
            throw new InvalidInput("score", "range", "评分须为 1–5 / score must be 1 to 5");
        }
        tickets.require(tenant, ticketId);
        if (!tickets.rate(ticketId, score)) {
            throw new InvalidInput("score", "once-after-close", "只能在工单关闭后评分一次 / rate once, after the ticket is closed");
        }
        csat.record(score);
    }

    Optional<ProfileView> profile(TenantId tenant, String person) {
        try {
            return profiles.find(tenant, Identifier.parse(person));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // journey tickets name the person by id; there is no identifier to look up
        }
    }

    private int say(TenantId tenant, UUID conversation, String sender, @Nullable String agent, String text, Instant now) {
        int seq = conversations.append(conversation, sender, agent, text, null, null, null, null, null, now);
        Message message = new Message(seq, sender, agent, text, null, null, null, null, now);
        streams.publish(conversation, message);
        for (ConversationOutbound channel : outbound) {
            channel.said(tenant, conversation, message);
        }
        return seq;
    }

    Map<String, Object> metrics(TenantId tenant) {
        Map<String, Object> f = tickets.figures(tenant);
        long conversationsWithMessages = ((Number) f.get("conversations")).longValue();
        long handedOff = ((Number) f.get("handed_off")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conversations", conversationsWithMessages);
        out.put("handedOff", handedOff);
        out.put("handOffRate", conversationsWithMessages == 0 ? null : (double) handedOff / conversationsWithMessages);
        out.put("botResolutionRate", conversationsWithMessages == 0 ? null : 1 - (double) handedOff / conversationsWithMessages);
        out.put("tickets", f.get("tickets"));
        out.put("slaBreaches", f.get("breached"));
        out.put("agentFirstResponseMedianSeconds", f.get("agent_first_response_median_s"));
        out.put("csatCount", f.get("csat_count"));
        out.put("csatAverage", f.get("csat_average"));
        return out;
    }
}
