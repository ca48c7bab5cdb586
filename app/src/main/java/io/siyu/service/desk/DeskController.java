package io.siyu.service.desk;

import io.siyu.identity.Identifier;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import io.siyu.service.desk.Conversations.Conversation;
import io.siyu.service.nlu.MessageText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The service desk API: conversations (messages in, bot replies out, an SSE stream for the web
 * chat widget), tickets for agents (reply, close, CSAT, suggestions), agents and their skills, and
 * the service metrics.
 */
@RestController
@RequestMapping("/api/v1/service")
class DeskController {

    static final Set<String> CHANNELS = Set.of("api", "web", "wecom");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.\\-]{1,64}");
    private static final int MAX_CLIENT_ID = 100;

    record NewConversation(@Nullable String channel, @Nullable String person) {}

    record IncomingMessage(@Nullable String text, @Nullable String messageId) {}

    record AgentReply(@Nullable String agent, @Nullable String text) {}

    record Rating(@Nullable Integer score) {}

    record AgentDefinition(@Nullable List<String> skills, @Nullable Boolean active) {}

    private final ServiceDesk desk;
    private final Conversations conversations;
    private final Tickets tickets;
    private final Agents agents;
    private final ConversationStreams streams;
    private final Suggestions suggestions;

    DeskController(ServiceDesk desk, Conversations conversations, Tickets tickets, Agents agents, ConversationStreams streams,
            Suggestions suggestions) {
        this.desk = desk;
        this.conversations = conversations;
        this.tickets = tickets;
        this.agents = agents;
        this.streams = streams;
        this.suggestions = suggestions;
    }

    @PostMapping("/conversations")
    @ResponseStatus(HttpStatus.CREATED)
    Conversation open(TenantId tenant, @RequestBody NewConversation request) {
        String channel = request.channel() == null ? "api" : request.channel();
        if (!CHANNELS.contains(channel)) {
            throw new InvalidInput("channel", "one-of", "channel 须为 api、web 或 wecom / channel must be one of " + CHANNELS);
        }
        if (request.person() == null || request.person().isBlank()) {
            throw new InvalidInput("person", "required", "请提供客户标识，如 user_id:42 / person is required, e.g. user_id:42");
        }
        try {
            Identifier.parse(request.person());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("person", "identifier", e.getMessage());
        }
        return desk.open(tenant, channel, request.person().strip());
    }

    @PostMapping("/conversations/{id}/messages")
    ServiceDesk.Exchange message(TenantId tenant, @PathVariable UUID id, @RequestBody IncomingMessage request) {
        String text = MessageText.require(request.text());
        String clientId = request.messageId();
        if (clientId != null && (clientId.isBlank() || clientId.length() > MAX_CLIENT_ID)) {
            throw new InvalidInput("messageId", "length", "messageId 长度须为 1–" + MAX_CLIENT_ID + " / messageId must be 1–" + MAX_CLIENT_ID + " chars");
        }
        return desk.receive(tenant, id, text, clientId);
    }

    @GetMapping("/conversations/{id}")
    Map<String, Object> conversation(TenantId tenant, @PathVariable UUID id) {
        Conversation c = conversations.require(tenant, id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("channel", c.channel());
        out.put("person", c.person());
        out.put("owner", c.owner());
        out.put("handedOff", c.handedOff());
        out.put("messages", conversations.transcript(id));
        return out;
    }

    /** The web chat widget's stream: bot, agent and system messages after {@code after} (a seq), then live. */
    @GetMapping(path = "/conversations/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(TenantId tenant, @PathVariable UUID id, @RequestParam(defaultValue = "0") int after) {
        conversations.require(tenant, id);
        return streams.listen(id, conversations.after(id, after).stream().filter(m -> !m.sender().equals("person")).toList());
    }

    @GetMapping("/tickets")
    List<Tickets.Ticket> tickets(TenantId tenant, @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String queue, @RequestParam(defaultValue = "false") boolean breached,
            @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !Set.of("open", "assigned", "closed").contains(status)) {
            throw new InvalidInput("status", "one-of", "status 须为 open、assigned 或 closed / status must be open, assigned or closed");
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidInput("limit", "range", "limit 须为 1–1000 / limit must be 1 to 1000");
        }
        return tickets.list(tenant, status, queue, breached, limit);
    }

    @GetMapping("/tickets/{id}")
    Tickets.Ticket ticket(TenantId tenant, @PathVariable long id) {
        return tickets.require(tenant, id);
    }

    @PostMapping("/tickets/{id}/messages")
    Map<String, Object> reply(TenantId tenant, @PathVariable long id, @RequestBody AgentReply request) {
        String agent = requireName("agent", request.agent());
        String text = MessageText.require(request.text());
        return Map.of("seq", desk.agentReply(tenant, id, agent, text));
    }

    @PostMapping("/tickets/{id}/close")
    Tickets.Ticket close(TenantId tenant, @PathVariable long id) {
        desk.close(tenant, id);
        return tickets.require(tenant, id);
    }

    @PostMapping("/tickets/{id}/csat")
    Tickets.Ticket rate(TenantId tenant, @PathVariable long id, @RequestBody Rating rating) {
        if (rating.score() == null) {
            throw new InvalidInput("score", "required", "请提供评分 1–5 / score 1–5 is required");
        }
        desk.rate(tenant, id, rating.score());
        return tickets.require(tenant, id);
    }

    @GetMapping("/tickets/{id}/suggestions")
    List<Suggestions.Suggestion> suggestions(TenantId tenant, @PathVariable long id) {
        return suggestions.forTicket(tenant, tickets.require(tenant, id));
    }

    @PutMapping("/agents/{name}")
    List<Agents.Agent> putAgent(TenantId tenant, @PathVariable String name, @RequestBody AgentDefinition request) {
        requireName("name", name);
        List<String> skills = request.skills();
        if (skills == null || skills.isEmpty() || skills.size() > 20) {
            throw new InvalidInput("skills", "size", "技能须为 1–20 个 / skills must list 1 to 20 queues");
        }
        for (int i = 0; i < skills.size(); i++) {
            requireName("skills[" + i + "]", skills.get(i));
        }
        agents.put(tenant, name, skills.stream().distinct().toList(), request.active() == null || request.active());
        return agents.list(tenant);
    }

    @GetMapping("/agents")
    List<Agents.Agent> agents(TenantId tenant) {
        return agents.list(tenant);
    }

    @GetMapping("/metrics")
    Map<String, Object> metrics(TenantId tenant) {
        return desk.metrics(tenant);
    }

    private static String requireName(String field, @Nullable String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidInput(field, "name", field + " 须为 1–64 个字母、数字、_ . - / " + field + " must be 1–64 letters, digits, _ . -");
        }
        return value;
    }
}
