package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.Purpose;
import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.TenantState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tenant's consent, per person per purpose, as the {@code Consent Updated} events in the log
 * set it: part of the engine's state, so snapshots keep it and replay rebuilds it. Two bits a
 * purpose in one byte a person; a person with no answer for a purpose is {@link Consent#ALL}
 * (the contract of {@link io.siyu.action.ConsentGate}). When two people merge, the stricter answer
 * of each purpose survives. Every change is kept as history.
 */
final class ConsentBook implements EngineExtension.Part {

    static final String EVENT = "Consent Updated";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Purpose[] PURPOSES = Purpose.values();
    private static final Consent[] CONSENTS = Consent.values();

    /** One change: who, which purpose, the new answer, when (event time) and from where. */
    record Change(long seq, long at, int person, Purpose purpose, Consent consent, String source) {}

    private byte[] answers;
    private final List<Change> history;

    ConsentBook() {
        this(new byte[1024], new ArrayList<>());
    }

    private ConsentBook(byte[] answers, List<Change> history) {
        this.answers = answers;
        this.history = history;
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        if (event.kind() != EventKind.TRACK || !event.name().equals(EVENT)) {
            return;
        }
        JsonNode properties;
        try {
            properties = event.properties().length == 0 ? JSON.createObjectNode() : JSON.readTree(event.properties());
        } catch (RuntimeException e) {
            return; // the log holds what ingestion accepted; an unreadable body changes nothing
        }
        Purpose purpose = purpose(properties.path("purpose").asString(""));
        Consent consent = consent(properties.path("consent").asString(""));
        if (purpose == null || consent == null) {
            return;
        }
        set(person, purpose, consent);
        history.add(new Change(event.seq(), event.timestamp(), person, purpose, consent,
                properties.path("source").asString("event")));
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        for (Purpose purpose : PURPOSES) {
            int a = code(from, purpose);
            int b = code(into, purpose);
            if (a > b) {
                set(into, purpose, CONSENTS[a - 1]);
            }
        }
    }

    /** The answer for a purpose; {@link Consent#ALL} when the person never gave one. */
    Consent consentOf(int person, Purpose purpose) {
        int code = code(person, purpose);
        return code == 0 ? Consent.ALL : CONSENTS[code - 1];
    }

    /** Whether the person ever answered for the purpose. */
    boolean answered(int person, Purpose purpose) {
        return code(person, purpose) != 0;
    }

    /** Every change, oldest first. */
    List<Change> history() {
        return Collections.unmodifiableList(history);
    }

    private int code(int person, Purpose purpose) {
        return person >= 0 && person < answers.length ? (answers[person] >>> (purpose.ordinal() * 2)) & 3 : 0;
    }

    private void set(int person, Purpose purpose, Consent consent) {
        if (person >= answers.length) {
            answers = Arrays.copyOf(answers, Math.max(person + 1, answers.length * 2));
        }
        int shift = purpose.ordinal() * 2;
        answers[person] = (byte) ((answers[person] & ~(3 << shift)) | ((consent.ordinal() + 1) << shift));
    }

    static @Nullable Purpose purpose(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "marketing" -> Purpose.MARKETING;
            case "personalisation", "personalization" -> Purpose.PERSONALISATION;
            case "analytics" -> Purpose.ANALYTICS;
            default -> null;
        };
    }

    static @Nullable Consent consent(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "all" -> Consent.ALL;
            case "necessary_only", "necessary" -> Consent.NECESSARY_ONLY;
            case "refused" -> Consent.REFUSED;
            default -> null;
        };
    }

    @Override
    public void write(DataOutput out) throws IOException {
        int people = answers.length;
        while (people > 0 && answers[people - 1] == 0) {
            people--;
        }
        out.writeInt(people);
        out.write(answers, 0, people);
        out.writeInt(history.size());
        for (Change c : history) {
            out.writeLong(c.seq());
            out.writeLong(c.at());
            out.writeInt(c.person());
            out.writeByte(c.purpose().ordinal());
            out.writeByte(c.consent().ordinal());
            out.writeUTF(c.source());
        }
    }

    static ConsentBook read(DataInput in) throws IOException {
        int people = in.readInt();
        byte[] answers = new byte[Math.max(1024, people)];
        in.readFully(answers, 0, people);
        int changes = in.readInt();
        List<Change> history = new ArrayList<>(changes);
        for (int i = 0; i < changes; i++) {
            history.add(new Change(in.readLong(), in.readLong(), in.readInt(), PURPOSES[in.readByte()], CONSENTS[in.readByte()],
                    in.readUTF()));
        }
        return new ConsentBook(answers, history);
    }
}
