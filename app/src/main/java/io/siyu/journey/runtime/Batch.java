package io.siyu.journey.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The steps and actions of one engine callback, and the event position they answer: committed in
 * one transaction. {@code done} completes once durable (flushes wait on it).
 */
public final class Batch implements JournalSink {

    public record Step(int tenant, Kind kind, int journey, int version, int person, int entry, int step, String node,
            long at, long deadline, @Nullable String reason, @Nullable Map<String, String> vars) {}

    public record Action(int tenant, String actionId, int journey, int version, String node, int person, String type,
            Map<String, String> parameters, Map<String, Object> context, long notBefore) {}

    /** What became of a message a journey sent: {@code kind} is delivered, opened or clicked. */
    public record Receipt(int tenant, String actionId, Outcome kind, long at) {}

    /** The receipts a journey report counts, each the column it fills. */
    public enum Outcome {
        DELIVERED("delivered_at"), OPENED("opened_at"), CLICKED("clicked_at");

        public final String column;

        Outcome(String column) {
            this.column = column;
        }
    }

    public final List<Step> steps = new ArrayList<>();
    public final List<Receipt> receipts = new ArrayList<>();
    public final List<Action> actions = new ArrayList<>();
    /** The highest event sequence whose consequences this batch holds; -1 when none. */
    public long eventSeq = -1;
    public final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void step(int tenant, Kind kind, int journey, int version, int person, int entry, int step, String node,
            long at, long deadline, @Nullable String reason, @Nullable Map<String, String> vars) {
        steps.add(new Step(tenant, kind, journey, version, person, entry, step, node, at, deadline, reason, vars));
    }

    @Override
    public void action(int tenant, String actionId, int journey, int version, String node, int person, String type,
            Map<String, String> parameters, Map<String, Object> context, long notBefore) {
        actions.add(new Action(tenant, actionId, journey, version, node, person, type, parameters, context, notBefore));
    }

    public boolean isEmpty() {
        return steps.isEmpty() && actions.isEmpty() && receipts.isEmpty() && eventSeq < 0;
    }
}
