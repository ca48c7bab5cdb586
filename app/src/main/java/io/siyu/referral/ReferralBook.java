package io.siyu.referral;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.TenantState;
import io.siyu.identity.Identifier;
import io.siyu.identity.IdentifierType;
import io.siyu.profile.Profile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tenant's referral touches and the conversions not yet handed to the {@link Attributor}.
 *
 * <p>A touch is a person's first referral event: opening a share link ({@code Referral Link Opened}
 * with {@code referral_code}) or converting with a code. A conversion is {@code WeCom Contact Added}
 * whose contact-way state is {@code ref:<code>}, or {@code Signed Up} / {@code Official Account
 * Followed} with a {@code referral_code} or after a touch. Whether the friend is new is decided
 * here, in log order: a person whose history starts before the first touch was a customer already.
 * Each person converts once; merges keep the earlier touch. Touches and pending conversions are
 * part of the snapshot, so a conversion is never lost between the log and the attribution table,
 * and a replay finds the same conversions again (the attributor ignores repeats).
 */
final class ReferralBook implements EngineExtension.Part {

    static final String LINK_OPENED = "Referral Link Opened";
    static final String CONTACT_ADDED = "WeCom Contact Added";
    static final String SIGNED_UP = "Signed Up";
    static final String FOLLOWED = "Official Account Followed";
    static final String STATE_PREFIX = "ref:";

    private static final byte VERSION = 1;

    /** A person's first referral touch. */
    private record Touch(String code, long timestamp, boolean converted, @Nullable String device) {
        Touch asConverted() {
            return new Touch(code, timestamp, true, device);
        }
    }

    private final JsonMapper json;
    private final Runnable hasPending;
    private final Map<Integer, Touch> touches = new HashMap<>();
    private final List<Conversion> pending = new ArrayList<>();

    /** @param hasPending told (on the engine thread, so it must be quick) whenever a conversion awaits the attributor */
    ReferralBook(JsonMapper json, Runnable hasPending) {
        this.json = json;
        this.hasPending = hasPending;
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        if (event.kind() != EventKind.TRACK) {
            return;
        }
        String name = event.name();
        boolean opened = name.equals(LINK_OPENED);
        boolean converting = name.equals(CONTACT_ADDED) || name.equals(SIGNED_UP) || name.equals(FOLLOWED);
        if (!opened && !converting) {
            return;
        }
        Touch touch = touches.get(person);
        if (touch != null && touch.converted()) {
            return; // attributed (or judged) once, on the first conversion
        }
        String code = code(event);
        if (touch == null) {
            if (code == null) {
                return;
            }
            touch = new Touch(code, event.timestamp(), false, device(event));
        }
        if (opened) {
            touches.put(person, touch);
            return;
        }
        touches.put(person, touch.asConverted());
        Profile profile = state.profile(person);
        boolean existing = profile != null && profile.firstSeen() < touch.timestamp();
        String device = device(event);
        List<String> signals = new ArrayList<>(2);
        for (Identifier identifier : event.identifiers()) {
            if (identifier.type() == IdentifierType.PHONE_HASH || identifier.type() == IdentifierType.UNIONID) {
                signals.add(identifier.toString());
            }
        }
        pending.add(new Conversion(event.seq(), event.messageId(), event.timestamp(), person, touch.code(), name, existing,
                device != null ? device : touch.device(), signals));
        hasPending.run();
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        Touch other = touches.remove(from);
        if (other == null) {
            return;
        }
        Touch mine = touches.get(into);
        if (mine == null) {
            touches.put(into, other);
        } else {
            Touch earlier = other.timestamp() < mine.timestamp() ? other : mine;
            boolean converted = mine.converted() || other.converted();
            touches.put(into, new Touch(earlier.code(), earlier.timestamp(), converted, earlier.device()));
        }
    }

    @Override
    public void rebuiltFrom(EngineExtension.Part previous, TenantState state, long now) {
        // the rebuilt book found every conversion of the log again; the attributor ignores those it judged
    }

    /** Conversions not yet attributed, oldest first. */
    List<Conversion> pending() {
        return List.copyOf(pending);
    }

    /** The first {@code count} pending conversions are judged and stored: forget them. */
    void judged(int count) {
        pending.subList(0, count).clear();
    }

    int touches() {
        return touches.size();
    }

    /** The share code an event carries: a contact-way state {@code ref:<code>} or a {@code referral_code} property. */
    private @Nullable String code(Event event) {
        JsonNode properties = parse(event.properties());
        if (properties == null) {
            return null;
        }
        String text = event.name().equals(CONTACT_ADDED) ? properties.path("state").asString("") : properties.path("referral_code").asString("");
        if (event.name().equals(CONTACT_ADDED)) {
            if (!text.startsWith(STATE_PREFIX)) {
                return null;
            }
            text = text.substring(STATE_PREFIX.length());
        }
        return ShareCode.isWellFormed(text) ? text : null;
    }

    private @Nullable String device(Event event) {
        JsonNode context = parse(event.context());
        if (context == null) {
            return null;
        }
        String id = context.path("device").path("id").asString("");
        return id.isEmpty() || id.length() > 128 ? null : id;
    }

    private @Nullable JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(bytes);
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null; // the normaliser wrote it; an unreadable copy carries no code
        }
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(VERSION);
        out.writeInt(touches.size());
        for (Map.Entry<Integer, Touch> entry : touches.entrySet()) {
            Touch touch = entry.getValue();
            out.writeInt(entry.getKey());
            out.writeUTF(touch.code());
            out.writeLong(touch.timestamp());
            out.writeBoolean(touch.converted());
            out.writeUTF(touch.device() == null ? "" : touch.device());
        }
        out.writeInt(pending.size());
        for (Conversion conversion : pending) {
            conversion.write(out);
        }
    }

    static ReferralBook read(JsonMapper json, Runnable hasPending, DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("referral book snapshot version " + version + " is not " + VERSION);
        }
        ReferralBook book = new ReferralBook(json, hasPending);
        for (int n = in.readInt(); n > 0; n--) {
            int person = in.readInt();
            String code = in.readUTF();
            long timestamp = in.readLong();
            boolean converted = in.readBoolean();
            String device = in.readUTF();
            book.touches.put(person, new Touch(code, timestamp, converted, device.isEmpty() ? null : device));
        }
        for (int n = in.readInt(); n > 0; n--) {
            book.pending.add(Conversion.read(in));
        }
        if (!book.pending.isEmpty()) {
            hasPending.run();
        }
        return book;
    }
}
