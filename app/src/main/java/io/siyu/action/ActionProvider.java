package io.siyu.action;

/**
 * Performs one kind of action: {@code message} (channels), {@code coupon} (coupons),
 * {@code handoff} (customer-service queues), {@code webhook}. Spring beans implementing this are
 * found by type; a journey node names the type. Implementations must be idempotent on
 * {@link ActionRequest#actionId()} and must not block for long: a slow remote answers
 * {@link ActionOutcome.Retry}.
 */
public interface ActionProvider {

    /** Stable id a journey node refers to; never change it once released. */
    String type();

    ActionOutcome perform(ActionRequest request);
}
