package io.siyu.privacy;

import io.siyu.action.Consent;
import io.siyu.action.Purpose;
import io.siyu.engine.Engine;
import io.siyu.platform.Caller;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's consent per purpose, with its history. Setting it through the API writes a
 * {@code Consent Updated} event into the log, exactly as a client sending the event would, so the
 * answer survives restarts and is rebuilt by replay.
 */
@RestController
@RequestMapping("/api/v1/consent")
class ConsentController {

    record Update(@Nullable String purpose, @Nullable String consent, @Nullable String source) {}

    record ChangeView(String purpose, String consent, Instant at, String source, String person) {}

    record ConsentView(String person, Map<String, String> consent, Map<String, Boolean> answered, List<ChangeView> history) {}

    private final People people;
    private final Engine engine;
    private final AuditLog audit;

    ConsentController(People people, Engine engine, AuditLog audit) {
        this.people = people;
        this.engine = engine;
        this.audit = audit;
    }

    @GetMapping("/{personId}")
    ConsentView get(TenantId tenant, Caller caller, @PathVariable String personId) {
        People.Person person = people.require(tenant, personId);
        audit.record(tenant, caller.actor(), "consent.read", person.id().toString(), "");
        return view(tenant, person);
    }

    @PutMapping("/{personId}")
    ConsentView set(TenantId tenant, Caller caller, @PathVariable String personId, @RequestBody Update body) {
        Purpose purpose = body.purpose() == null ? null : ConsentBook.purpose(body.purpose());
        if (purpose == null) {
            throw new InvalidInput("purpose", "enum", "用途须为 marketing, personalisation, analytics / purpose must be marketing, personalisation or analytics");
        }
        Consent consent = body.consent() == null ? null : ConsentBook.consent(body.consent());
        if (consent == null) {
            throw new InvalidInput("consent", "enum", "授权须为 all, necessary_only, refused / consent must be all, necessary_only or refused");
        }
        if (body.source() != null && (body.source().length() > 100 || body.source().chars().anyMatch(Character::isISOControl))) {
            throw new InvalidInput("source", "format", "source is at most 100 characters without control characters");
        }
        People.Person person = people.require(tenant, personId);
        people.track(tenant, person, ConsentBook.EVENT, Map.of("purpose", key(purpose), "consent", key(consent),
                "source", body.source() == null ? "api:" + caller.actor() : body.source()), "api");
        return view(tenant, person);
    }

    private ConsentView view(TenantId tenant, People.Person person) {
        return engine.ask(tenant.value(), state -> {
            ConsentBook book = state.part(ConsentExtension.ID, ConsentBook.class);
            int index = state.graph().canonical(person.index());
            Map<String, String> consent = new LinkedHashMap<>();
            Map<String, Boolean> answered = new LinkedHashMap<>();
            for (Purpose purpose : Purpose.values()) {
                consent.put(key(purpose), key(book.consentOf(index, purpose)));
                answered.put(key(purpose), book.answered(index, purpose));
            }
            List<ChangeView> history = book.history().stream()
                    .filter(c -> state.graph().canonical(c.person()) == index)
                    .map(c -> new ChangeView(key(c.purpose()), key(c.consent()), Instant.ofEpochMilli(c.at()), c.source(),
                            io.siyu.identity.PersonId.of(tenant.value(), c.person()).toString()))
                    .toList();
            return new ConsentView(person.id().toString(), consent, answered, history);
        });
    }

    static String key(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
