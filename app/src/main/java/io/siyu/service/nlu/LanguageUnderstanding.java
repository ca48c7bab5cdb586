package io.siyu.service.nlu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What a message means: intent (or {@code fallback}), entities and sentiment. Plain Java, thread-safe,
 * no I/O after construction. Dates are resolved against the injected clock in the brand's zone.
 */
public final class LanguageUnderstanding {

    /** The versioned model artefact committed to the classpath; {@code ./siyu nlu-train} rewrites it. */
    public static final String MODEL_RESOURCE = "/service/nlu/intent-model-v1.bin";

    /** Longest text the NLU reads; longer messages are cut here (the API refuses them before). */
    public static final int MAX_CHARS = 2_000;

    /**
     * @param topIntent  the model's best label even when {@code intent} is {@code fallback}
     */
    public record Understanding(String intent, double confidence, String topIntent, List<Entity> entities, Sentiment sentiment) {

        public boolean confident() {
            return !Intents.FALLBACK.equals(intent);
        }

        public List<Entity> entities(String type) {
            return entities.stream().filter(e -> e.type().equals(type)).toList();
        }
    }

    /** Feature ids of the message being understood: 4 KB that every message used to allocate. */
    private static final ThreadLocal<int[]> FEATURES = ThreadLocal.withInitial(() -> new int[Features.MAX_FEATURES]);

    private final IntentModel model;
    private final Catalogue catalogue;
    private final Clock clock;
    private final ZoneId zone;

    public LanguageUnderstanding(IntentModel model, Catalogue catalogue, Clock clock, ZoneId zone) {
        this.model = model;
        this.catalogue = catalogue;
        this.clock = clock;
        this.zone = zone;
    }

    /** The bundled model and catalogue, dates in China time. */
    public static LanguageUnderstanding bundled(Clock clock) {
        return new LanguageUnderstanding(bundledModel(), Catalogue.bundled(), clock, ZoneId.of("Asia/Shanghai"));
    }

    public static IntentModel bundledModel() {
        try (InputStream in = LanguageUnderstanding.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MODEL_RESOURCE + " is missing: run ./siyu nlu-train");
            }
            return IntentModel.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public IntentModel model() {
        return model;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public Understanding understand(String text) {
        String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        String normalised = TextNormaliser.normalise(input);
        List<Entity> entities = EntityExtractor.extract(normalised, ZonedDateTime.now(clock.withZone(zone)), catalogue);
        int[] buffer = FEATURES.get();
        Sentiment sentiment = SentimentScorer.score(normalised);
        int count = Features.extract(normalised, entities, sentiment, buffer);
        IntentModel.Prediction prediction = model.predict(buffer, count);
        return new Understanding(prediction.intent(), round(prediction.confidence()), prediction.topLabel(), entities, sentiment);
    }

    /** The model's prediction for {@code text} alone (training, calibration and evaluation use this). */
    static IntentModel.Prediction classify(IntentModel model, String text) {
        String normalised = TextNormaliser.normalise(text);
        int[] buffer = new int[Features.MAX_FEATURES];
        int count = Features.extract(normalised, EntityExtractor.forFeatures(normalised), SentimentScorer.score(normalised), buffer);
        return model.predict(buffer, count);
    }

    private static double round(double p) {
        return Math.round(p * 10_000) / 10_000.0;
    }
}
