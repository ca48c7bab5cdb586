package io.siyu.platform;

import java.util.List;

/**
 * Told when people were erased on request (PIPL art. 47), after their rows, keys and log events
 * are gone and the engine was rebuilt: a module that keeps people in memory beside the engine (the
 * journey books) forgets them, so they are neither acted on again nor written into its next snapshot.
 */
public interface ErasureListener {

    /** @param people the engine's index (within {@code tenant}) of the erased person and of everyone merged into them */
    void erased(TenantId tenant, List<Integer> people);
}
