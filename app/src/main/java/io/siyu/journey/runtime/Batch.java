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

    public final List<Step> steps;
    public final List<Receipt> receipts = new ArrayList<>();
    public final List<Action> actions;
    /** The highest event sequence whose consequences this batch holds; -1 when none. */
    public long eventSeq = -1;
    public final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Pairs of (steps, actions) sizes at each {@link #boundary}: where a long batch may be cut. */
    private int[] cuts = new int[0];
    private int cutCount;

    public Batch() {
        this(10);
    }

    /** A batch expected to hold about {@code rows} steps and as many actions (a part of a long drain): no regrowth on the way. */
    public Batch(int rows) {
        steps = new ArrayList<>(rows);
        actions = new ArrayList<>(rows);
    }

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

    @Override
    public void boundary() {
        int s = steps.size();
        int a = actions.size();
        if (cutCount > 0 && cuts[2 * cutCount - 2] == s && cuts[2 * cutCount - 1] == a) {
            return;
        }
        if (2 * cutCount == cuts.length) {
            cuts = java.util.Arrays.copyOf(cuts, Math.max(16, cuts.length * 2));
        }
        cuts[2 * cutCount] = s;
        cuts[2 * cutCount + 1] = a;
        cutCount++;
    }

    /**
     * This batch in parts of about {@code rows} steps and actions each, cut only at boundaries;
     * the last part carries the receipts and the event position, and completes this batch's
     * {@code done}. A batch no longer than {@code rows}, or without boundaries, is returned whole.
     */
    public List<Batch> parts(int rows) {
        if (steps.size() + actions.size() <= rows || cutCount == 0) {
            return List.of(this);
        }
        List<Batch> parts = new ArrayList<>();
        int fromStep = 0;
        int fromAction = 0;
        for (int i = 0; i < cutCount; i++) {
            int toStep = cuts[2 * i];
            int toAction = cuts[2 * i + 1];
            if (toStep - fromStep + toAction - fromAction >= rows) {
                Batch part = new Batch();
                part.steps.addAll(steps.subList(fromStep, toStep));
                part.actions.addAll(actions.subList(fromAction, toAction));
                parts.add(part);
                fromStep = toStep;
                fromAction = toAction;
            }
        }
        Batch last = new Batch();
        last.steps.addAll(steps.subList(fromStep, steps.size()));
        last.actions.addAll(actions.subList(fromAction, actions.size()));
        last.receipts.addAll(receipts);
        last.eventSeq = eventSeq;
        last.done.whenComplete((ok, failed) -> {
            if (failed != null) {
                done.completeExceptionally(failed);
            } else {
                done.complete(null);
            }
        });
        parts.add(last);
        return parts;
    }

    public boolean isEmpty() {
        return steps.isEmpty() && actions.isEmpty() && receipts.isEmpty() && eventSeq < 0;
    }
}
