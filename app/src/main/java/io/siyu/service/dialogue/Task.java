package io.siyu.service.dialogue;

import io.siyu.service.nlu.Intents;
import java.util.List;
import java.util.Optional;

/** A multi-turn task the bot can complete, the intent that starts it and the slots it needs, in order. */
public enum Task {
    ORDER_STATUS(Intents.ORDER_STATUS, List.of(Slot.ORDER_NUMBER)),
    ADDRESS_CHANGE(Intents.ADDRESS_CHANGE, List.of(Slot.ORDER_NUMBER, Slot.NEW_CONTACT)),
    RETURN_REQUEST(Intents.RETURN_REFUND, List.of(Slot.ORDER_NUMBER, Slot.REASON)),
    STOCK_CHECK(Intents.STOCK_CHECK, List.of(Slot.PRODUCT));

    /** What a task asks for; {@code NEW_CONTACT} is a new address, a new recipient phone, or both. */
    public enum Slot { ORDER_NUMBER, NEW_CONTACT, REASON, PRODUCT }

    private final String intent;
    private final List<Slot> slots;

    Task(String intent, List<Slot> slots) {
        this.intent = intent;
        this.slots = slots;
    }

    public List<Slot> slots() {
        return slots;
    }

    public static Optional<Task> startedBy(String intent) {
        for (Task task : values()) {
            if (task.intent.equals(intent)) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }
}
