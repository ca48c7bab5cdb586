package io.siyu.ingestion;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The one way in for events from every channel: normalise, quarantine what breaks its schema,
 * and hand the rest to the engine. Returns once everything accepted is durable.
 */
@Service
public class Intake {

    /** A message as it arrived, with its path for errors and its raw size for limits. */
    public record Message(JsonNode body, @Nullable String type, String path, String rawJson) {}

    /** Per message that was not accepted: where it was, its id, the reasons, and its quarantine id. */
    public record Quarantined(String path, String messageId, long quarantineId, List<Violation> errors) {}

    /** What happened to a request: events accepted (durable) and those quarantined. */
    public record Result(int accepted, long lastSeq, List<Quarantined> quarantined) {}

    /** Past this the client gets a 503 and retries; its messageIds make the retry safe. */
    static final int ACK_TIMEOUT_SECONDS = 30;

    private final Normaliser normaliser;
    private final Quarantine quarantine;
    private final Engine engine;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ConcurrentHashMap<String, Counter> rejects = new ConcurrentHashMap<>();

    Intake(Normaliser normaliser, Quarantine quarantine, Engine engine, Clock clock, MeterRegistry meters) {
        this.normaliser = normaliser;
        this.quarantine = quarantine;
        this.engine = engine;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Accepts messages of one tenant.
     *
     * @param source the channel, recorded with quarantined items and on events without context.channel
     * @param batchSentAt the batch's {@code sentAt}, for clock-skew correction
     * @throws ServiceUnavailable when the engine cannot take more now or the log could not be written
     */
    public Result accept(TenantId tenant, List<Message> messages, String source, @Nullable Instant batchSentAt) {
        long receivedAt = clock.millis();
        List<Normaliser.Outcome> outcomes = normalise(tenant, messages, source, batchSentAt, receivedAt);
        List<Event> events = new ArrayList<>(messages.size());
        List<Quarantine.Item> bad = new ArrayList<>();
        List<Message> badMessages = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            switch (outcomes.get(i)) {
                case Normaliser.Outcome.Accepted accepted -> events.add(accepted.event());
                case Normaliser.Outcome.Rejected rejected -> {
                    bad.add(new Quarantine.Item(source, rejected.eventName(), rejected.messageId(), rejected.violations(),
                            message.rawJson()));
                    badMessages.add(message);
                    rejected.violations().forEach(v -> countReject(v.rule()));
                }
            }
        }
        return accept(tenant, events, bad, badMessages, receivedAt);
    }

    /**
     * The lean single-message path: normalises one message and, when it is valid, waits until its
     * event is durable, exactly as {@link #accept} would. When the message breaks its schema nothing
     * is recorded and the answer is null: the caller hands the message to {@link #accept}, which
     * quarantines it and explains why.
     *
     * @throws ServiceUnavailable as {@link #accept}
     */
    @Nullable Result acceptIfValid(TenantId tenant, Message message, String source) {
        long receivedAt = clock.millis();
        Normaliser.Outcome outcome = normalise(tenant, List.of(message), source, null, receivedAt).getFirst();
        if (!(outcome instanceof Normaliser.Outcome.Accepted accepted)) {
            return null;
        }
        return accept(tenant, List.of(accepted.event()), List.of(), List.of(), receivedAt);
    }

    private List<Normaliser.Outcome> normalise(TenantId tenant, List<Message> messages, String source,
            @Nullable Instant batchSentAt, long receivedAt) {
        List<Normaliser.Outcome> outcomes = new ArrayList<>(messages.size());
        boolean[] missedKey = new boolean[messages.size()];
        boolean anyMissed = false;
        // People new to the tenant need data keys for their sealed fields: note them while the
        // batch is normalised and create them all in one round trip, then seal those messages again.
        try (FieldCipher.Deferral deferral = normaliser.cipher().deferKeyCreation(tenant)) {
            for (int i = 0; i < messages.size(); i++) {
                Message message = messages.get(i);
                int missed = deferral.missed();
                outcomes.add(normaliser.normalise(tenant, message.body(), message.type(), message.path(), receivedAt,
                        batchSentAt, source));
                missedKey[i] = deferral.missed() != missed;
                anyMissed |= missedKey[i];
            }
            if (anyMissed) {
                deferral.createKeys();
                for (int i = 0; i < messages.size(); i++) {
                    if (missedKey[i]) {
                        Message message = messages.get(i);
                        outcomes.set(i, normaliser.normalise(tenant, message.body(), message.type(), message.path(), receivedAt,
                                batchSentAt, source));
                    }
                }
            }
        }
        return outcomes;
    }

    /** Records a message that could not even be parsed, quarantined with its reason. */
    public Quarantined quarantineUnparsable(TenantId tenant, String source, String path, String raw, Violation reason) {
        countReject(reason.rule());
        long id = quarantine.add(tenant, Instant.ofEpochMilli(clock.millis()),
                List.of(new Quarantine.Item(source, "", "", List.of(reason), raw))).getFirst();
        return new Quarantined(path, "", id, List.of(reason));
    }

    private Result accept(TenantId tenant, List<Event> events, List<Quarantine.Item> bad, List<Message> badMessages,
            long receivedAt) {
        List<Quarantined> quarantined = new ArrayList<>(bad.size());
        if (!bad.isEmpty()) {
            List<Long> ids = quarantine.add(tenant, Instant.ofEpochMilli(receivedAt), bad);
            for (int i = 0; i < bad.size(); i++) {
                quarantined.add(new Quarantined(badMessages.get(i).path(), bad.get(i).messageId(), ids.get(i),
                        bad.get(i).reasons()));
            }
        }
        long seq;
        try {
            seq = engine.submit(events).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Engine.Overloaded e) {
            throw new ServiceUnavailable(e.getMessage(), 1);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServiceUnavailable("the event log could not be written in time; retry with the same messageIds", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailable("interrupted while waiting for the event log", 1);
        }
        return new Result(events.size(), seq, quarantined);
    }

    private void countReject(String rule) {
        rejects.computeIfAbsent(rule, r -> Counter.builder("siyu.ingest.rejects").tag("reason", r)
                .description("Messages rejected or quarantined, by broken rule").register(meters)).increment();
    }
}
