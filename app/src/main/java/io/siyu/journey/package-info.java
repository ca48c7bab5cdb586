/**
 * Journeys: versioned automated flows (triggers, waits, branches, splits, actions, goals) run per
 * person beside the engine, with a timing wheel for waits, a durable journal and a transactional
 * outbox, send policies for every message, and a simulated clock for sandboxes (ADR 0005).
 */
@NullMarked
package io.siyu.journey;

import org.jspecify.annotations.NullMarked;
