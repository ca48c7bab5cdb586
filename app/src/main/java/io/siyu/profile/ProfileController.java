package io.siyu.profile;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads profiles by person id or by any identifier. */
@RestController
@RequestMapping("/api/v1/profiles")
class ProfileController {

    private final ProfileDirectory directory;

    ProfileController(ProfileDirectory directory) {
        this.directory = directory;
    }

    @GetMapping("/{personId}")
    ProfileView byId(TenantId tenant, @PathVariable String personId) {
        PersonId id = PersonIds.parse("personId", personId);
        return directory.find(tenant, id).orElseThrow(() -> new NotFound("no person " + personId));
    }

    @GetMapping
    ProfileView byIdentifier(TenantId tenant, @RequestParam String identifier) {
        Identifier id;
        try {
            id = Identifier.parse(identifier);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
        return directory.find(tenant, id).orElseThrow(() -> new NotFound("no person holds " + PersonIds.abbreviate(identifier)));
    }
}
