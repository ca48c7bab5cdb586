package io.siyu.privacy;

import io.siyu.profile.ProfileView;
import java.util.LinkedHashMap;
import java.util.Map;

/** The masked copy of a profile that every role but admin sees: {@code 138****1234}, {@code z***@example.com}. */
public final class ProfileMasks {

    private ProfileMasks() {}

    /** A copy with personal traits and identifiers masked; behaviour, stats, tags and scores unchanged. */
    public static ProfileView mask(ProfileView view) {
        Map<String, Object> traits = view.traits();
        boolean personal = false;
        for (String name : Masks.PERSONAL_TRAITS) {
            if (traits.containsKey(name)) {
                personal = true;
                break;
            }
        }
        if (personal) {
            traits = new LinkedHashMap<>(traits);
            for (String name : Masks.PERSONAL_TRAITS) {
                Object value = traits.get(name);
                if (value != null) {
                    traits.put(name, Masks.trait(name, value.toString()));
                }
            }
        }
        return new ProfileView(view.id(), view.identities().stream().map(Masks::identifier).toList(), traits, view.stats(),
                view.tags(), view.scores(), view.mergedFrom());
    }
}
