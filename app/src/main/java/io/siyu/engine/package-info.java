/**
 * The hot path: the durable event log and the single-writer engine that turns logged events into
 * identity and profile state. Plain Java, no Spring, so it runs embedded and inside a stream
 * processor alike; {@code io.siyu.engine.wiring} plugs it into the application.
 */
@NullMarked
package io.siyu.engine;

import org.jspecify.annotations.NullMarked;
