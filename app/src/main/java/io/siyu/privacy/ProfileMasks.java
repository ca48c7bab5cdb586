package io.siyu.privacy;

import io.siyu.platform.FieldCipher;
import io.siyu.profile.ProfileView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The masked copy of a profile that every role but admin sees: {@code 138****1234},
 * {@code z***@example.com}. A sealed trait (e-mail, ID number, address) is shown by the mask it
 * carries, so a masked read decrypts nothing. On every profile read, so one pass over the traits
 * and no streams.
 */
public final class ProfileMasks {

    private ProfileMasks() {}

    /** A copy with personal traits and identifiers masked; behaviour, stats, tags and scores unchanged. */
    public static ProfileView mask(ProfileView view) {
        Map<String, Object> traits = view.traits();
        Map<String, Object> masked = null;
        for (Map.Entry<String, Object> entry : traits.entrySet()) {
            if (Masks.PERSONAL_TRAITS.contains(entry.getKey()) || FieldCipher.isSealedText(entry.getValue())) {
                if (masked == null) {
                    masked = new LinkedHashMap<>(traits);
                }
                masked.put(entry.getKey(), maskOf(entry.getKey(), entry.getValue()));
            }
        }
        List<String> identities = view.identities();
        List<String> maskedIdentities = new ArrayList<>(identities.size());
        for (int i = 0; i < identities.size(); i++) {
            maskedIdentities.add(Masks.identifier(identities.get(i)));
        }
        return new ProfileView(view.id(), maskedIdentities, masked == null ? traits : masked, view.stats(), view.tags(),
                view.scores(), view.mergedFrom());
    }

    private static String maskOf(String name, Object value) {
        String text = value.toString();
        if (FieldCipher.isSealedText(text)) {
            String mask = FieldCipher.maskOfText(text);
            return mask == null ? "****" : mask;
        }
        return Masks.trait(name, text);
    }
}
