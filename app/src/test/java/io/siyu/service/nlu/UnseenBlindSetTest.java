package io.siyu.service.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The blind set: 187 realistic messages (11 per intent) written and committed before the model was
 * ever run on them, and never trained, calibrated or tuned on. The issue aims at 90% on messages
 * the model has never seen; a fallback counts as wrong.
 */
class UnseenBlindSetTest {

    private static final String BLIND = "/service/nlu/unseen-blind.tsv";

    private final LanguageUnderstanding nlu = LanguageUnderstanding.bundled(Clock.systemUTC());

    @Test
    void classifiesAtLeastNinetyPercentOfTheBlindSet() throws IOException {
        List<String[]> messages = blind();
        List<String> wrong = UnseenMessagesTest.misses(nlu, messages);
        double accuracy = 1 - (double) wrong.size() / messages.size();
        System.out.printf("blind accuracy %.4f (%d of %d)%n%s%n", accuracy, messages.size() - wrong.size(), messages.size(),
                String.join("\n", wrong));
        assertThat(accuracy).as("accuracy on the blind set; misses:%n%s", String.join("\n", wrong)).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void hasAtLeastTenVariedMessagesPerIntent() throws IOException {
        Map<String, Integer> perIntent = new TreeMap<>();
        blind().forEach(m -> perIntent.merge(m[0], 1, Integer::sum));
        assertThat(perIntent.keySet()).containsExactlyInAnyOrderElementsOf(Intents.LABELS);
        assertThat(perIntent.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
        List<String> texts = blind().stream().map(m -> m[1]).toList();
        assertThat(texts).doesNotHaveDuplicates();
        assertThat(texts).anyMatch(t -> t.codePoints().anyMatch(c -> Character.getType(c) == Character.OTHER_SYMBOL)) // emoji
                .anyMatch(t -> t.matches(".*[A-Za-z]{4,}.*")) // English
                .anyMatch(t -> t.codePointCount(0, t.length()) <= 2) // very short
                .anyMatch(t -> !TextNormaliser.normalise(t).equals(t.toLowerCase())); // traditional characters or full width
    }

    @Test
    void blindMessagesAreNotInTheTrainingData() throws IOException {
        TrainingData data = TrainingData.bundled();
        List<String> known = new ArrayList<>();
        data.train().forEach(e -> known.add(TextNormaliser.normalise(e.text())));
        data.heldOut().forEach(e -> known.add(TextNormaliser.normalise(e.text())));
        List<String> copies = blind().stream().map(m -> m[1]).filter(t -> known.contains(TextNormaliser.normalise(t))).toList();
        assertThat(copies).as("blind messages that normalise to a training line").isEmpty();
    }

    static List<String[]> blind() throws IOException {
        try (InputStream in = UnseenBlindSetTest.class.getResourceAsStream(BLIND)) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split("\t", 2));
                }
            }
            return rows;
        }
    }
}
