package io.siyu.engine;

import io.siyu.identity.Identifier;
import io.siyu.profile.Traits;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One normalised event, as logged and as applied. Ingestion extracts everything the engine needs
 * (identifiers, typed traits, money, categories) so that applying and replaying never parse JSON.
 *
 * @param tenant the brand
 * @param seq position in the log, assigned when it is written; 0 before
 * @param kind the Segment call
 * @param name the event name for track (e.g. {@code Order Completed}); page/screen name otherwise
 * @param timestamp event time after clock-skew correction, epoch ms
 * @param receivedAt when Siyu received it, epoch ms
 * @param messageId the idempotency key; a repeat within the dedupe window is logged but not applied
 * @param identifiers who did it; the first strong one decides the person
 * @param traits typed traits to set (null values remove)
 * @param revenueFen money of an order or refund in fen, -1 when none
 * @param orderId the order the event concerns, if any
 * @param categories product categories the event concerns
 * @param channel where it came from (web, app, wecom, miniprogram, import, ...)
 * @param source acquisition source, e.g. the WeCom contact-way state, or null
 * @param sealed encrypted personal data carried along, e.g. the phone's ciphertext
 * @param properties the original properties as JSON, kept for history and lineage
 * @param context the original context as JSON
 */
public record Event(
        int tenant,
        long seq,
        EventKind kind,
        String name,
        long timestamp,
        long receivedAt,
        String messageId,
        List<Identifier> identifiers,
        Traits traits,
        long revenueFen,
        @Nullable String orderId,
        List<String> categories,
        @Nullable String channel,
        @Nullable String source,
        List<Sealed> sealed,
        byte[] properties,
        byte[] context) {

    /** A personal field encrypted with the tenant's key: its name and AES-GCM ciphertext. */
    public record Sealed(String field, byte[] ciphertext) {}

    public Event {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(messageId, "messageId");
        identifiers = List.copyOf(identifiers);
        categories = List.copyOf(categories);
        sealed = List.copyOf(sealed);
    }

    public Event withSeq(long seq) {
        return new Event(tenant, seq, kind, name, timestamp, receivedAt, messageId, identifiers, traits,
                revenueFen, orderId, categories, channel, source, sealed, properties, context);
    }
}
