package io.siyu.privacy;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the sealed traits of a profile (e-mail, ID number, address; see
 * {@link FieldCipher#sealText}) where a reader is entitled to them: the profile API (masked again
 * for every role but admin), exports and access requests. A value whose data key was shredded
 * reads {@value #SHREDDED}.
 */
final class SealedTraits {

    static final String SHREDDED = "(erased)";

    private SealedTraits() {}

    /** The profile with its sealed traits in clear; the same instance when none is sealed. */
    static ProfileView open(FieldCipher cipher, TenantId tenant, ProfileView view) {
        Map<String, Object> traits = open(cipher, tenant, view.traits());
        return traits == view.traits() ? view
                : new ProfileView(view.id(), view.identities(), traits, view.stats(), view.tags(), view.scores(), view.mergedFrom());
    }

    /** The traits with sealed values in clear; the same map when none is sealed. */
    static Map<String, Object> open(FieldCipher cipher, TenantId tenant, Map<String, Object> traits) {
        Map<String, Object> opened = null;
        for (Map.Entry<String, Object> entry : traits.entrySet()) {
            if (FieldCipher.isSealedText(entry.getValue())) {
                if (opened == null) {
                    opened = new LinkedHashMap<>(traits);
                }
                opened.put(entry.getKey(), openOne(cipher, tenant, (String) entry.getValue()));
            }
        }
        return opened == null ? traits : opened;
    }

    private static String openOne(FieldCipher cipher, TenantId tenant, String sealed) {
        try {
            return cipher.openText(tenant, sealed);
        } catch (IllegalArgumentException e) { // shredded, or not this tenant's
            return SHREDDED;
        }
    }
}
