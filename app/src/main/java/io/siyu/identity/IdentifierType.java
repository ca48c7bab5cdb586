package io.siyu.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of identifier a person can carry, each with a cap that stops a shared device or a
 * buggy integration from gluing thousands of people together.
 */
public enum IdentifierType {
    ANONYMOUS_ID("anonymous_id", 100, false),
    USER_ID("user_id", 1, true),
    WECOM_EXTERNAL_USERID("wecom_external_userid", 4, true),
    UNIONID("unionid", 1, true),
    /** Per app: the value is {@code appId:openid}. */
    OPENID("openid", 20, true),
    /** Keyed hash of the normalised phone number; the number itself is never an identifier. */
    PHONE_HASH("phone", 5, false),
    EMAIL("email", 5, false);

    private final String key;
    private final int cap;
    private final boolean strong;

    IdentifierType(String key, int cap, boolean strong) {
        this.key = key;
        this.cap = cap;
        this.strong = strong;
    }

    /** The external name, as in {@code ?identifier=user_id:42}. */
    public String key() {
        return key;
    }

    /** Most identifiers of this type one person may hold. */
    public int cap() {
        return cap;
    }

    /**
     * Strong identifiers name one account in one system; two different values of a capped-at-one
     * strong type are never merged automatically.
     */
    public boolean strong() {
        return strong;
    }

    public static Optional<IdentifierType> fromKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (IdentifierType type : values()) {
            if (type.key.equals(k)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
