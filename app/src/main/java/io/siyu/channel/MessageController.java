package io.siyu.channel;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionRequest;
import io.siyu.action.ProductSendPolicy;
import io.siyu.identity.Identifier;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import io.siyu.identity.PersonId;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' sends (one message to one person, through the same policy and outbox as journeys),
 * the state of a message, the dead-letter list with replay, webhook endpoints and the channel list.
 */
@RestController
@RequestMapping("/api/v1")
class MessageController {

    static final int MAX_VARIABLES = 100;
    static final int MAX_VALUE = 2_000;

    record Send(@Nullable String identifier, @Nullable String template, @Nullable String channel, @Nullable String to,
            @Nullable String endpoint, @Nullable Map<String, String> variables, @Nullable String idempotencyKey,
            @Nullable String product) {}

    record Endpoint(@Nullable String url) {}

    private final Dispatcher dispatcher;
    private final Outbox outbox;
    private final ProfileDirectory profiles;
    private final WebhookEndpoints endpoints;
    private final Channels channels;
    private final Clock clock;

    MessageController(Dispatcher dispatcher, Outbox outbox, ProfileDirectory profiles, WebhookEndpoints endpoints,
            Channels channels, Clock clock) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.profiles = profiles;
        this.endpoints = endpoints;
        this.channels = channels;
        this.clock = clock;
    }

    /** Decides and queues one message; the same idempotency key twice is one message. */
    @PostMapping("/messages")
    Map<String, Object> send(TenantId tenant, @RequestBody Send send) {
        String rawId = Names.text("identifier", send.identifier(), 300);
        Identifier identifier;
        try {
            identifier = Identifier.parse(rawId);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
        Map<String, String> parameters = new HashMap<>();
        parameters.put("template", Names.require("template", send.template()));
        if (send.channel() != null) {
            parameters.put("channel", Names.require("channel", send.channel()));
        }
        if (send.to() != null) {
            parameters.put("to", Names.text("to", send.to(), 320));
        }
        if (send.endpoint() != null) {
            parameters.put("endpoint", Names.require("endpoint", send.endpoint()));
        }
        if (send.product() != null) { // the financial product the message offers: the send policy checks suitability
            parameters.put(ProductSendPolicy.PARAMETER, Names.text("product", send.product(), 128));
        }
        Map<String, String> variables = send.variables() == null ? Map.of() : send.variables();
        if (variables.size() > MAX_VARIABLES) {
            throw new InvalidInput("variables", "max-items", "at most " + MAX_VARIABLES + " variables");
        }
        variables.forEach((k, v) -> {
            if (v == null || v.length() > MAX_VALUE || k.length() > Names.MAX_NAME) {
                throw new InvalidInput("variables." + k, "max-length", "a variable is a name of at most 64 characters and a value of at most "
                        + MAX_VALUE + " characters");
            }
        });
        String key = send.idempotencyKey() == null ? UUID.randomUUID().toString() : Names.require("idempotencyKey", send.idempotencyKey());
        ProfileView profile = profiles.find(tenant, identifier)
                .orElseThrow(() -> new NotFound("nobody is known as " + identifier + " / 查无此人"));
        Map<String, Object> context = new HashMap<>(profile.traits());
        context.putAll(variables);
        ActionOutcome outcome = dispatcher.dispatch(new ActionRequest(tenant, "api:" + key, PersonId.parse(profile.id()),
                "message", parameters, context, "api"));
        Map<String, Object> out = new LinkedHashMap<>();
        switch (outcome) {
            case ActionOutcome.Done done -> {
                out.put("outcome", "queued");
                out.put("messageId", done.output().get("message_id"));
            }
            case ActionOutcome.Suppressed suppressed -> {
                out.put("outcome", "suppressed");
                out.put("reason", suppressed.reason());
            }
            case ActionOutcome.Retry retry -> {
                out.put("outcome", "deferred");
                out.put("reason", retry.reason());
                out.put("retryAfterMs", retry.after().toMillis());
            }
            case ActionOutcome.Failed failed -> throw new InvalidInput("template", "send", failed.reason());
        }
        return out;
    }

    @GetMapping("/messages/{id}")
    Map<String, Object> message(TenantId tenant, @PathVariable String id) {
        Names.text("id", id, 300);
        Map<String, Object> out = view(outbox.find(tenant, id).orElseThrow(() -> new NotFound("no message '" + id + "'")));
        Outbox.Report report = outbox.report(tenant, id);
        out.put("deliveredAt", report.deliveredAt() == null ? null : report.deliveredAt().toString());
        out.put("deliveryError", report.error());
        return out;
    }

    @GetMapping("/messages/dead-letters")
    List<Map<String, Object>> deadLetters(TenantId tenant, @RequestParam(required = false) @Nullable String channel,
            @RequestParam(defaultValue = "100") int limit) {
        Names.limit(limit, 1000);
        return outbox.deadLetters(tenant, channel, limit).stream().map(MessageController::view).toList();
    }

    @PostMapping("/messages/{id}/replay")
    Map<String, Object> replay(TenantId tenant, @PathVariable String id) {
        Names.text("id", id, 300);
        if (!outbox.replay(tenant, id, clock.instant())) {
            throw new NotFound("no dead or failed message '" + id + "' to replay");
        }
        return Map.of("messageId", id, "status", "PENDING");
    }

    @PutMapping("/webhooks/{name}")
    Map<String, Object> register(TenantId tenant, @PathVariable String name, @RequestBody Endpoint endpoint) {
        Names.require("name", name);
        String url = Names.text("url", endpoint.url(), 2000);
        if (!Tracking.isWebUrl(url)) {
            throw new InvalidInput("url", "http-url", "url must be an http(s) URL with a host");
        }
        WebhookEndpoints.Endpoint saved = endpoints.register(tenant, name, url);
        return Map.of("name", saved.name(), "url", saved.url(), "secret", saved.secret(),
                "note", "保存好密钥，只显示一次 / keep the secret, it is shown only once");
    }

    @GetMapping("/webhooks")
    List<Map<String, String>> webhooks(TenantId tenant) {
        return endpoints.all(tenant).stream().map(e -> Map.of("name", e.name(), "url", e.url())).toList();
    }

    @GetMapping("/channels")
    List<Channels.Described> channels() {
        return channels.describe();
    }

    private static Map<String, Object> view(Outbox.Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messageId", e.messageId());
        out.put("channel", e.channel());
        out.put("status", e.status().name());
        out.put("attempts", e.attempts());
        out.put("template", e.template());
        out.put("person", e.person() == null ? null : e.person().toString());
        out.put("lastError", e.lastError());
        out.put("nextAttemptAt", e.nextAttemptAt().toString());
        out.put("createdAt", e.createdAt().toString());
        return out;
    }
}
