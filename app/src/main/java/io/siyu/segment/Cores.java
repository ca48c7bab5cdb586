package io.siyu.segment;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Helper threads for splitting one segment evaluation across the machine's cores, one per core
 * beyond the caller's. The caller is the partition thread and waits for its helpers, so they read
 * state that no writer can change meanwhile. Daemons, so they never hold the JVM up.
 */
final class Cores {

    /** Threads besides the caller; 0 on a one-core machine, where nothing is split. */
    static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);

    static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, HELPERS), runnable -> {
        Thread thread = new Thread(runnable, "siyu-segment-helper");
        thread.setDaemon(true);
        return thread;
    });

    private Cores() {}
}
