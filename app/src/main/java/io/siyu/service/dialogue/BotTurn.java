package io.siyu.service.dialogue;

import org.jspecify.annotations.Nullable;

/** The bot's answer to one message and what it means for the conversation. */
public record BotTurn(String reply, Outcome outcome) {

    public enum Priority { NORMAL, HIGH, URGENT }

    public sealed interface Outcome {
        /** Answered a question outright ({@code source}: {@code canned}, {@code faq}, or the task name). */
        record Answered(String intent, String source) implements Outcome {}

        /** A task is waiting for the person to give {@code slot}. */
        record Asking(Task task, Task.Slot slot) implements Outcome {}

        /** A task ran to its end against the connectors. */
        record Completed(Task task) implements Outcome {}

        /** A human must take over; the bot goes quiet until the ticket closes. */
        record HandOff(String reason, Priority priority, String queue) implements Outcome {}

        /** The person asked for a return: the desk opens an after-sales ticket and the bot carries on. */
        record ReturnRequested(String orderNumber, String reason) implements Outcome {}

        /** The bot did not understand; {@code text} is a candidate for a new FAQ. */
        record NotUnderstood(String text, @Nullable String guess) implements Outcome {}
    }
}
