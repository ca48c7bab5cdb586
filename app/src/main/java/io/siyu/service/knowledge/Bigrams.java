package io.siyu.service.knowledge;

import io.siyu.service.nlu.TextNormaliser;
import java.util.HashSet;
import java.util.Set;

/** Character bigrams of normalised text without spaces and punctuation: the unit of similarity for confidence and clustering. */
final class Bigrams {

    private Bigrams() {}

    static Set<String> of(String text) {
        String normalised = TextNormaliser.normalise(text);
        StringBuilder letters = new StringBuilder(normalised.length());
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                letters.append(c);
            }
        }
        Set<String> grams = new HashSet<>();
        if (letters.length() == 1) {
            grams.add(letters.toString());
        }
        for (int i = 0; i + 1 < letters.length(); i++) {
            grams.add(letters.substring(i, i + 2));
        }
        return grams;
    }

    /** Dice coefficient: 2|A∩B| / (|A|+|B|), 0 when both are empty. */
    static double dice(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String g : a) {
            if (b.contains(g)) {
                common++;
            }
        }
        return 2.0 * common / (a.size() + b.size());
    }
}
