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
        boolean personal = false;
        for (Map.Entry<String, Object> entry : traits.entrySet()) {
            if (isPersonal(entry)) {
                personal = true;
                break;
            }
        }
        Map<String, Object> masked = traits;
        if (personal) { // one new map, each trait put once, masked or as it is
            masked = LinkedHashMap.newLinkedHashMap(traits.size());
            for (Map.Entry<String, Object> entry : traits.entrySet()) {
                masked.put(entry.getKey(), isPersonal(entry) ? maskOf(entry.getKey(), entry.getValue()) : entry.getValue());
            }
        }
        return new ProfileView(view.id(), maskedIdentities(view.identities()), masked, view.stats(), view.tags(), view.scores(),
                view.mergedFrom());
    }

    private static boolean isPersonal(Map.Entry<String, Object> trait) {
        return Masks.PERSONAL_TRAITS.contains(trait.getKey()) || FieldCipher.isSealedText(trait.getValue());
    }

    /** The identifiers with personal values masked; the same list when none is personal (it is not changed, only shown). */
    private static List<String> maskedIdentities(List<String> identities) {
        List<String> masked = null;
        for (int i = 0; i < identities.size(); i++) {
            String typed = identities.get(i);
            String shown = Masks.identifier(typed);
            if (masked == null && shown != typed) {
                masked = new ArrayList<>(identities.size());
                for (int j = 0; j < i; j++) {
                    masked.add(identities.get(j));
                }
            }
            if (masked != null) {
                masked.add(shown);
            }
        }
        return masked == null ? identities : masked;
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
