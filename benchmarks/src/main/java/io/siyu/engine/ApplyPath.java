package io.siyu.engine;

/**
 * The engine's apply path for benchmarks that build state in-process: a fresh tenant state and
 * {@code TenantState.apply}, which the engine keeps package-private.
 */
public final class ApplyPath {

    private ApplyPath() {}

    public static TenantState fresh(int tenant) {
        return new TenantState(tenant);
    }

    /** @return the person the event was attributed to, or -1 when it was not applied */
    public static int apply(TenantState state, Event event) {
        return state.apply(event);
    }
}
