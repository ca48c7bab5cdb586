package io.siyu.profile;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.TenantId;
import java.util.Optional;

/** Finds profiles of one tenant; answers reflect every event acknowledged before the call. */
public interface ProfileDirectory {

    /** The person, following merges: a merged-away id answers with the survivor. */
    Optional<ProfileView> find(TenantId tenant, PersonId person);

    Optional<ProfileView> find(TenantId tenant, Identifier identifier);
}
