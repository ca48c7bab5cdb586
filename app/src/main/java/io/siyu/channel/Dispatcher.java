package io.siyu.channel;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionRequest;
import io.siyu.action.ProductRecommender;
import io.siyu.action.ProductSendPolicy;
import io.siyu.action.SendIntent;
import io.siyu.action.SendPolicy;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Decides one message: template, address, rendering, the {@link SendPolicy}, then a durable outbox
 * row. Sending happens later in the {@link OutboxWorker}, so a slow remote never holds up a journey
 * or a broadcast, and a decision that was written is never lost.
 */
@Service
public class Dispatcher {

    /** Parameters of a message action that are not template variables. */
    static final java.util.Set<String> RESERVED = java.util.Set.of("channel", "template", "to", "endpoint", "welcome_code",
            ProductSendPolicy.PARAMETER);

    private final MessageTemplates templates;
    private final Rendering rendering;
    private final Outbox outbox;
    private final Channels channels;
    private final Addresses addresses;
    private final ObjectProvider<SendPolicy> policy;
    private final OutboxWorker worker;
    private final Clock clock;
    private final Supplier<@Nullable ProductRecommender> recommender;

    /** Without recommendations: {@code {{recommended_products}}} is left to its default. */
    Dispatcher(MessageTemplates templates, Rendering rendering, Outbox outbox, Channels channels, Addresses addresses,
            ObjectProvider<SendPolicy> policy, OutboxWorker worker, Clock clock) {
        this(templates, rendering, outbox, channels, addresses, policy, worker, clock, (Supplier<@Nullable ProductRecommender>) () -> null);
    }

    @Autowired
    Dispatcher(MessageTemplates templates, Rendering rendering, Outbox outbox, Channels channels, Addresses addresses,
            ObjectProvider<SendPolicy> policy, OutboxWorker worker, Clock clock, ObjectProvider<ProductRecommender> recommender) {
        this(templates, rendering, outbox, channels, addresses, policy, worker, clock,
                (Supplier<@Nullable ProductRecommender>) recommender::getIfAvailable);
    }

    private Dispatcher(MessageTemplates templates, Rendering rendering, Outbox outbox, Channels channels, Addresses addresses,
            ObjectProvider<SendPolicy> policy, OutboxWorker worker, Clock clock, Supplier<@Nullable ProductRecommender> recommender) {
        this.recommender = recommender;
        this.templates = templates;
        this.rendering = rendering;
        this.outbox = outbox;
        this.channels = channels;
        this.addresses = addresses;
        this.policy = policy;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * Decides and queues the message an action asks for; idempotent on the action id.
     *
     * @return {@link ActionOutcome.Done} with {@code message_id} once the message is in the outbox
     *     (or was already), {@link ActionOutcome.Suppressed} / {@link ActionOutcome.Retry} from the send
     *     policy, {@link ActionOutcome.Failed} for a missing template, address or variable
     */
    public ActionOutcome dispatch(ActionRequest request) {
        Optional<Outbox.Entry> existing = outbox.find(request.tenant(), request.actionId());
        if (existing.isPresent()) {
            return done(existing.get());
        }
        List<Outbox.Entry> entries = new ArrayList<>(1);
        ActionOutcome outcome = decide(request, policy.getIfAvailable(), entries);
        if (entries.isEmpty()) {
            return outcome;
        }
        if (outbox.add(entries.getFirst())) {
            worker.wake();
            return outcome;
        }
        return done(outbox.find(request.tenant(), request.actionId()).orElseThrow());
    }

    /**
     * Decides many messages at once (broadcasts, journey steps fanning out): the same checks as
     * {@link #dispatch}, one policy question per message, and the outbox rows written in multi-row
     * inserts. Repeated action ids are left as they were (they answer Done as well), so a broadcast
     * chunk retried after a crash queues nothing twice. Outcomes are in the order of the requests.
     */
    public List<ActionOutcome> dispatchAll(List<ActionRequest> requests) {
        List<ActionOutcome> outcomes = new ArrayList<>(requests.size());
        List<Outbox.Entry> entries = new ArrayList<>(requests.size());
        SendPolicy gate = policy.getIfAvailable();
        for (ActionRequest request : requests) {
            ActionOutcome outcome = decide(request, gate, entries);
            outcomes.add(outcome);
        }
        outbox.addAll(entries);
        if (!entries.isEmpty()) {
            worker.wake();
        }
        return outcomes;
    }

    private ActionOutcome decide(ActionRequest request, @Nullable SendPolicy gate,
            List<Outbox.Entry> entries) {
        String templateName = request.parameter("template", "");
        Optional<MessageTemplate> found = templates.find(request.tenant(), templateName);
        if (found.isEmpty()) {
            return new ActionOutcome.Failed("template:unknown:" + templateName);
        }
        MessageTemplate template = found.get();
        String channel = request.parameter("channel", template.channel());
        if (!channel.equals(template.channel())) {
            return new ActionOutcome.Failed("template:channel-mismatch: template " + templateName + " is for "
                    + template.channel() + ", not " + channel);
        }
        if (!channels.isEnabled(channel)) {
            return new ActionOutcome.Failed("channel:not-enabled:" + channel);
        }
        Optional<String> address = addresses.of(request.tenant(), request.person(), channel, request.parameters(), request.context());
        if (address.isEmpty()) {
            return new ActionOutcome.Failed("address:none: the person has no " + channel + " address");
        }
        Rendering.Rendered rendered;
        try {
            Map<String, Object> values = variables(request);
            offerProducts(request, template, values);
            rendered = rendering.render(request.tenant(), template, values, request.actionId());
        } catch (TemplateText.MissingVariables e) {
            return new ActionOutcome.Failed("template:missing-variables:" + String.join(",", e.names()));
        } catch (IllegalArgumentException e) {
            return new ActionOutcome.Failed("template:" + e.getMessage());
        }
        long now = clock.millis();
        if (gate != null) {
            switch (ProductSendPolicy.decideFor(gate, new SendIntent(request.tenant(), request.person(), channel,
                    template.marketing(), rendered.body(), now), request.parameters().get(ProductSendPolicy.PARAMETER))) {
                case SendPolicy.Decision.Allow allow -> { }
                case SendPolicy.Decision.Defer defer -> {
                    return new ActionOutcome.Retry(Duration.ofMillis(Math.max(0, defer.notBefore() - now)), defer.reason());
                }
                case SendPolicy.Decision.Suppress suppress -> {
                    return new ActionOutcome.Suppressed(suppress.reason());
                }
            }
        }
        Instant at = Instant.ofEpochMilli(now);
        Outbox.Entry entry = new Outbox.Entry(request.tenant(), request.actionId(), request.person(), channel, template.name(),
                address.get(), rendered.subject(), rendered.body(), template.marketing(), request.origin(),
                Outbox.Status.PENDING, 0, at, null, at);
        entries.add(entry);
        return done(entry);
    }

    private static ActionOutcome done(Outbox.Entry entry) {
        return switch (entry.status()) {
            case PENDING, SENT -> new ActionOutcome.Done(entry.channel() + ":" + entry.status().name().toLowerCase(),
                    Map.of("message_id", entry.messageId()));
            case FAILED, DEAD -> new ActionOutcome.Failed(entry.channel() + ":" + entry.status().name().toLowerCase() + ": "
                    + entry.lastError());
        };
    }

    /** Context first, then the node's parameters, which may override (e.g. a fixed campaign name). */
    private Map<String, Object> variables(ActionRequest request) {
        Map<String, Object> values = new HashMap<>(request.context());
        // sealed traits (e-mail, ID number, address) render in clear, or empty once the person was erased
        values.replaceAll((k, v) -> {
            if (!io.siyu.platform.FieldCipher.isSealedText(v)) {
                return v;
            }
            Object opened = addresses.opened(request.tenant(), v);
            return opened == null ? "" : opened;
        });
        request.parameters().forEach((k, v) -> {
            if (!RESERVED.contains(k)) {
                values.put(k, v);
            }
        });
        return values;
    }

    /**
     * Fills {@code {{recommended_products}}} when the template uses it and neither the context nor
     * the node gave it; the recommender applies consent and suitability.
     */
    private void offerProducts(ActionRequest request, MessageTemplate template, Map<String, Object> values) {
        if (values.containsKey(ProductRecommender.VARIABLE) || !rendering.uses(template, ProductRecommender.VARIABLE)) {
            return;
        }
        ProductRecommender products = recommender.get();
        if (products == null) {
            return;
        }
        List<String> names = products.namesFor(request.tenant(), request.person(), ProductRecommender.IN_A_MESSAGE);
        if (!names.isEmpty()) {
            values.put(ProductRecommender.VARIABLE, String.join("、", names));
        }
    }

    /** For the preview endpoint: renders without policy or outbox. */
    Rendering.Rendered preview(TenantId tenant, MessageTemplate template, Map<String, ?> values) {
        return rendering.render(tenant, template, values, "preview");
    }
}
