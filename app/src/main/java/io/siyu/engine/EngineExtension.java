package io.siyu.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A capability that keeps its own per-tenant state inside the engine, next to identity and
 * profiles: tags, segments, journeys. Its state is part of the materialised view of the log, so it
 * is snapshotted with the tenant and rebuilt by replay; the engine never depends on the
 * capabilities that plug in here.
 */
public interface EngineExtension {

    /** Stable id, naming the extension's section in snapshots; never change it once released. */
    String id();

    /** Fresh state for a tenant that has no history yet. */
    Part create(int tenant);

    /** State restored from a snapshot section written by {@link Part#write}. */
    Part read(int tenant, DataInput in) throws IOException;

    /**
     * One tenant's state of an extension. Called only on the owning partition's thread, so it
     * needs no locks; calls must be fast and must not block, because they run on the hot path.
     */
    interface Part {

        /** The event was applied and changed the profile of {@code person}. */
        void applied(TenantState state, Event event, int person);

        /** Person {@code from} was folded into {@code into}; runs before the event that caused it is applied. */
        default void merged(TenantState state, int from, int into) {}

        /** Time passed without events (called about once a minute): for rules that time alone changes. */
        default void tick(TenantState state, long now) {}

        /**
         * This fresh state replaced {@code previous} after the tenant was rebuilt from the log (an
         * un-merge): keep what does not come from the log, such as definitions.
         */
        default void rebuiltFrom(Part previous, TenantState state, long now) {}

        /** Adds the tags this extension holds for a person, for the profile view. */
        default void tagsOf(int person, java.util.List<String> into) {}

        /** Adds the scores this extension holds for a person, for the profile view. */
        default void scoresOf(int person, java.util.Map<String, Object> into) {}

        void write(DataOutput out) throws IOException;
    }
}
