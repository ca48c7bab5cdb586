package io.siyu.privacy;

import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.PersonIds;
import io.siyu.profile.Traits;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds people for this capability's endpoints and writes the events it originates (consent
 * changes) into the log like any other event, so replay sees them.
 */
@Component
class People {

    /** A person as the engine knows them now. */
    record Person(PersonId id, int index, List<Identifier> identifiers) {}

    private final Engine engine;
    private final JsonMapper json;
    private final Erasures erasures;

    People(Engine engine, JsonMapper json, Erasures erasures) {
        this.engine = engine;
        this.json = json;
        this.erasures = erasures;
    }

    /**
     * @throws InvalidInput when the id is not a UUID
     * @throws NotFound when the tenant has no such person, or the person was erased
     */
    Person require(TenantId tenant, String personId) {
        PersonId id = PersonIds.ofTenant(tenant, "personId", personId);
        if (erasures.isErased(tenant, id.toString())) {
            throw new NotFound("no person " + personId);
        }
        Person person = engine.ask(tenant.value(), state -> {
            int canonical = state.graph().canonical(id.index());
            if (canonical < 0 || state.profile(canonical) == null) {
                return null;
            }
            return new Person(PersonId.of(tenant.value(), canonical), canonical, state.graph().identifiersOf(canonical));
        });
        if (person == null || person.identifiers().isEmpty()) {
            throw new NotFound("no person " + personId);
        }
        return person;
    }

    /** Logs a track event for the person and returns once it is durable (and so applied before any later read). */
    void track(TenantId tenant, Person person, String name, Object properties, String channel) {
        long now = engine.clock().millis();
        Event event = new Event(tenant.value(), 0, EventKind.TRACK, name, now, now, "siyu-" + UUID.randomUUID(),
                List.of(person.identifiers().getFirst()), new Traits(), -1, null, List.of(), channel, null, List.of(),
                json.writeValueAsBytes(properties), new byte[0]);
        try {
            engine.submit(List.of(event)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while logging " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not log " + name, e);
        }
    }
}
