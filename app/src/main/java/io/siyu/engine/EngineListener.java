package io.siyu.engine;

/**
 * Told of every event the engine applied, on the partition's thread, after the profile changed.
 * Implementations must be fast and must not block: they run on the hot path.
 */
@FunctionalInterface
public interface EngineListener {

    EngineListener NONE = (state, event, person) -> {};

    void applied(TenantState state, Event event, int person);
}
