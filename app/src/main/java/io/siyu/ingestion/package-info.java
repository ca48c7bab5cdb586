/**
 * Collection from every channel: the Segment-compatible HTTP API, WeCom callbacks and bulk import,
 * validated against the standard event dictionary, normalised and handed to the engine.
 */
@NullMarked
package io.siyu.ingestion;

import org.jspecify.annotations.NullMarked;
