package io.siyu.engine.wiring;

import io.siyu.engine.Engine;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.IdentityRules;
import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.PersonIds;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' identity corrections. A merge is an event in the log, so replay repeats it; an
 * un-merge records that two identifiers are different people and rebuilds the tenant from the log
 * with that ruling in force from the first event, so history splits as if never joined.
 */
@RestController
class IdentityController {

    record MergeRequest(@Nullable String into, @Nullable String from) {}

    record UnmergeRequest(@Nullable String person, @Nullable String identifier) {}

    private final Engine engine;
    private final ProfileDirectory directory;

    IdentityController(Engine engine, ProfileDirectory directory) {
        this.engine = engine;
        this.directory = directory;
    }

    @PostMapping("/api/v1/profiles/merge")
    ProfileView merge(TenantId tenant, @RequestBody MergeRequest request) {
        Identifier into = identifier("into", request.into());
        Identifier from = identifier("from", request.from());
        requireKnown(tenant, into, "into");
        requireKnown(tenant, from, "from");
        long now = engine.clock().millis();
        Event event = new Event(tenant.value(), 0, EventKind.MERGE, "Profiles Merged", now, now,
                "merge-" + UUID.randomUUID(), List.of(into, from), new Traits(), -1, null, List.of(), "console", null,
                List.of(), new byte[0], new byte[0]);
        engine.submit(List.of(event)).join();
        return directory.find(tenant, into).orElseThrow();
    }

    /** One merge in a person's history: who was folded in, when (log position) and through which identifier. */
    record MergeView(long seq, String from, String into, String via) {}

    @GetMapping("/api/v1/profiles/{personId}/merges")
    List<MergeView> merges(TenantId tenant, @PathVariable String personId) {
        PersonId person = PersonIds.ofTenant(tenant, "personId", personId);
        return engine.ask(tenant.value(), state -> {
            int canonical = state.graph().canonical(person.index());
            if (canonical < 0) {
                throw new NotFound("no person " + personId);
            }
            return state.mergesInto(canonical).stream()
                    .map(m -> new MergeView(m.seq(), PersonId.of(tenant.value(), m.from()).toString(),
                            PersonId.of(tenant.value(), m.into()).toString(), m.via()))
                    .toList();
        });
    }

    @PostMapping("/api/v1/profiles/unmerge")
    List<ProfileView> unmerge(TenantId tenant, @RequestBody UnmergeRequest request) {
        if (request.person() == null) {
            throw new InvalidInput("person", "required", "name the person (UUID) to split an identifier from");
        }
        PersonId person = PersonIds.parse("person", request.person());
        Identifier split = identifier("identifier", request.identifier());
        ProfileView view = directory.find(tenant, person).orElseThrow(() -> new NotFound("no person " + request.person()));
        if (!view.identities().contains(split.toString())) {
            throw new InvalidInput("identifier", "member", "person " + view.id() + " does not hold " + split);
        }
        if (view.identities().size() < 2) {
            throw new InvalidInput("identifier", "member", split + " is the only identifier of " + view.id());
        }
        long now = engine.lastSeq();
        for (String other : view.identities()) {
            if (!other.equals(split.toString())) {
                engine.rules().addDistinct(tenant.value(), new IdentityRules.Distinct(split, Identifier.parse(other), now));
            }
        }
        engine.rebuild(tenant.value()).join();
        return List.of(directory.find(tenant, Identifier.parse(view.identities().stream()
                        .filter(i -> !i.equals(split.toString())).findFirst().orElseThrow())).orElseThrow(),
                directory.find(tenant, split).orElseThrow());
    }

    private void requireKnown(TenantId tenant, Identifier id, String field) {
        if (directory.find(tenant, id).isEmpty()) {
            throw new InvalidInput(field, "exists", "no person holds " + id);
        }
    }

    private static Identifier identifier(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, "required", field + " is required, as type:value");
        }
        try {
            return Identifier.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, "format", e.getMessage());
        }
    }
}
