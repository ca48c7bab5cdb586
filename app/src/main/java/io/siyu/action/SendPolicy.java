package io.siyu.action;

/**
 * Decides whether a message may go out now: consent, content compliance, frequency caps per
 * person per channel, quiet hours in the person's time zone, per-channel rate limits. Every send,
 * from a journey, a broadcast or an agent, asks this first. The journey capability provides it.
 */
public interface SendPolicy {

    sealed interface Decision {
        record Allow() implements Decision {}

        /** Not now: try again at {@code notBefore} (epoch millis), e.g. after quiet hours. */
        record Defer(long notBefore, String reason) implements Decision {}

        /** Never: the reason is recorded, e.g. {@code consent:refused}, {@code cap:wecom:day}, {@code content:block}. */
        record Suppress(String reason) implements Decision {}

        Allow ALLOW = new Allow();
    }

    Decision decide(SendIntent intent);

    /** Records that the message went out, for the frequency caps; call once per delivered send. */
    void sent(SendIntent intent);
}
