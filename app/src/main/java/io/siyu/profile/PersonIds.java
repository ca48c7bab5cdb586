package io.siyu.profile;

import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;

/** Person ids as the management API receives them: parsed once, with the same problem answers everywhere. */
public final class PersonIds {

    private PersonIds() {}

    /** @throws InvalidInput naming {@code field} (rule {@code format}) when the text is not a person id */
    public static PersonId parse(String field, String text) {
        try {
            return PersonId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field, "format", field + " 须为人员 ID (UUID) / " + field
                    + " must be a person id (UUID), was '" + abbreviate(text) + "'");
        }
    }

    /**
     * A person id of {@code tenant}.
     *
     * @throws InvalidInput when the text is not a person id
     * @throws NotFound when it names a person of another tenant, or no person at all
     */
    public static PersonId ofTenant(TenantId tenant, String field, String text) {
        PersonId id = parse(field, text);
        if (id.tenant() != tenant.value() || id.index() < 0) {
            throw new NotFound("no person " + abbreviate(text));
        }
        return id;
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
