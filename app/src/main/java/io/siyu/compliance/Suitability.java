package io.siyu.compliance;

/** Whether a product may be recommended or sent to a person; an unsuitable answer says why. */
public sealed interface Suitability {

    record Suitable() implements Suitability {}

    /**
     * @param reason {@code risk:no-assessment} or {@code risk:above-assessment:R4>R2}, for the send
     *               log and the operator
     */
    record Unsuitable(String reason) implements Suitability {}

    Suitable SUITABLE = new Suitable();

    default boolean allowed() {
        return this instanceof Suitable;
    }
}
