package io.siyu.service.dialogue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the bot remembers about one conversation between turns: the task in progress and its
 * filled slots, facts that carry over to the next task (the last order number and product
 * mentioned), and how many turns in a row it failed. Mutable, confined to one conversation at a
 * time; {@link #toMap()} and {@link #fromMap} keep it in the conversation's row.
 */
public final class DialogueState {

    private @Nullable Task task;
    private final Map<String, String> slots = new LinkedHashMap<>();
    private final Map<String, String> memory = new LinkedHashMap<>();
    private int misunderstood;
    private int failedAttempts;

    public @Nullable Task task() {
        return task;
    }

    void start(Task next) {
        task = next;
        slots.clear();
        failedAttempts = 0;
    }

    void finish() {
        task = null;
        slots.clear();
        failedAttempts = 0;
    }

    @Nullable String slot(Task.Slot slot) {
        return slots.get(slot.name());
    }

    void fill(Task.Slot slot, String value) {
        slots.put(slot.name(), value);
    }

    void clear(Task.Slot slot) {
        slots.remove(slot.name());
    }

    Task.@Nullable Slot awaiting() {
        if (task == null) {
            return null;
        }
        for (Task.Slot slot : task.slots()) {
            if (!slots.containsKey(slot.name())) {
                return slot;
            }
        }
        return null;
    }

    @Nullable String remembered(String key) {
        return memory.get(key);
    }

    void remember(String key, String value) {
        memory.put(key, value);
    }

    /** Counts a turn the bot did not understand and answers how many came in a row. */
    int misunderstood() {
        return ++misunderstood;
    }

    void understood() {
        misunderstood = 0;
    }

    int failedAttempt() {
        return ++failedAttempts;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (task != null) {
            map.put("task", task.name());
        }
        map.put("slots", Map.copyOf(slots));
        map.put("memory", Map.copyOf(memory));
        map.put("misunderstood", misunderstood);
        map.put("failedAttempts", failedAttempts);
        return map;
    }

    @SuppressWarnings("unchecked")
    public static DialogueState fromMap(Map<String, Object> map) {
        DialogueState state = new DialogueState();
        Object task = map.get("task");
        state.task = task == null ? null : Task.valueOf(task.toString());
        ((Map<String, Object>) map.getOrDefault("slots", Map.of())).forEach((k, v) -> state.slots.put(k, v.toString()));
        ((Map<String, Object>) map.getOrDefault("memory", Map.of())).forEach((k, v) -> state.memory.put(k, v.toString()));
        state.misunderstood = ((Number) map.getOrDefault("misunderstood", 0)).intValue();
        state.failedAttempts = ((Number) map.getOrDefault("failedAttempts", 0)).intValue();
        return state;
    }
}
