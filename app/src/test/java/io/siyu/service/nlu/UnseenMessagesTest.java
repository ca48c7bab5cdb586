package io.siyu.service.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled model on realistic messages written separately from the training data (traditional
 * characters, English, emoji, typos, longer sentences): it must get at least 90% right, counting
 * a fallback as wrong.
 */
class UnseenMessagesTest {

    private final LanguageUnderstanding nlu = LanguageUnderstanding.bundled(Clock.systemUTC());

    /** The messages (intent, text) the model classifies otherwise, as "expected → got: text"; a fallback is a miss. */
    static List<String> misses(LanguageUnderstanding nlu, List<String[]> messages) {
        List<String> wrong = new ArrayList<>();
        for (String[] m : messages) {
            String intent = nlu.understand(m[1]).intent();
            if (!intent.equals(m[0])) {
                wrong.add(m[0] + " → " + intent + ": " + m[1]);
            }
        }
        return wrong;
    }

    @Test
    void classifiesAtLeastNinetyPercentOfUnseenMessages() throws IOException {
        List<String[]> messages = unseen();
        List<String> wrong = misses(nlu, messages);
        double accuracy = 1 - (double) wrong.size() / messages.size();
        System.out.printf("unseen accuracy %.4f (%d of %d)%n%s%n", accuracy, messages.size() - wrong.size(), messages.size(),
                String.join("\n", wrong));
        assertThat(messages).hasSizeGreaterThanOrEqualTo(150);
        assertThat(accuracy).as("accuracy on unseen messages; misses:%n%s", String.join("\n", wrong)).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void unseenMessagesAreNotCopiesOfTrainingLines() throws IOException {
        TrainingData data = TrainingData.bundled();
        List<String> known = new ArrayList<>();
        data.train().forEach(e -> known.add(TextNormaliser.normalise(e.text())));
        data.heldOut().forEach(e -> known.add(TextNormaliser.normalise(e.text())));
        for (String[] m : unseen()) {
            assertThat(known).as("unseen message is in the training data").doesNotContain(TextNormaliser.normalise(m[1]));
        }
    }

    static List<String[]> unseen() throws IOException {
        try (InputStream in = UnseenMessagesTest.class.getResourceAsStream("/service/nlu/unseen.tsv")) {
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
