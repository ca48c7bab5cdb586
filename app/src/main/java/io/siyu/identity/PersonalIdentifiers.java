package io.siyu.identity;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Identifiers that are personal data are kept only as a keyed blind index: an e-mail address
 * becomes {@code email:<index>}, so the event log, the identity graph and snapshots never hold the
 * address. Ingestion indexes what it receives; lookups ({@code ?identifier=email:a@b.cn}) index
 * what they are asked, with the same normalisation, so both meet. Stateless over the cipher; the
 * identity model stays free of Spring, so users make their own.
 */
public final class PersonalIdentifiers {

    private final FieldCipher cipher;

    public PersonalIdentifiers(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** Trimmed and lower-cased: {@code " Li.Lei@Example.CN "} → {@code li.lei@example.cn}. */
    public static String normaliseEmail(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    /** The identifier for a normalised e-mail address. */
    public Identifier email(TenantId tenant, String normalisedEmail) {
        return new Identifier(IdentifierType.EMAIL, cipher.blindIndex(tenant, "email", normalisedEmail));
    }

    /**
     * The form the graph holds: an e-mail address given in clear is replaced by its index; an
     * index (or anything else) is returned as it is.
     */
    public Identifier forLookup(TenantId tenant, Identifier identifier) {
        if (identifier.type() == IdentifierType.EMAIL && identifier.value().indexOf('@') > 0) {
            return email(tenant, normaliseEmail(identifier.value()));
        }
        return identifier;
    }

    /** The data-key subject of a phone or e-mail index, which erasure shreds ({@code email:<index>}); null for others. */
    public static @Nullable String subjectOf(Identifier identifier) {
        return switch (identifier.type()) {
            case PHONE_HASH -> "phone:" + identifier.value();
            case EMAIL -> "email:" + identifier.value();
            default -> null;
        };
    }
}
