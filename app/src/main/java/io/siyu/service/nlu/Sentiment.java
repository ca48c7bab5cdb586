package io.siyu.service.nlu;

/**
 * How a message feels: {@code label} is one of {@code positive}, {@code neutral}, {@code negative},
 * {@code angry}; {@code score} runs from -1 (furious) to 1 (delighted).
 */
public record Sentiment(String label, double score) {

    public static final String POSITIVE = "positive";
    public static final String NEUTRAL = "neutral";
    public static final String NEGATIVE = "negative";
    public static final String ANGRY = "angry";

    public boolean angry() {
        return ANGRY.equals(label);
    }
}
