package io.siyu.ingestion.imports;

import io.siyu.platform.InvalidInput.Violation;
import tools.jackson.databind.node.ObjectNode;

/** A row turned into a Segment message, or the reason it cannot be one. */
sealed interface Conversion {

    record Converted(ObjectNode message) implements Conversion {}

    record Refused(Violation reason) implements Conversion {}
}
