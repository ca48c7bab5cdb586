package io.siyu.ingestion.imports;

import java.util.List;

/** One row of an import file, numbered by the physical line it starts on (1-based). */
sealed interface Row {

    long line();

    /** The row's text without its line terminator: hashed for idempotency, kept in quarantine. */
    String raw();

    /** A CSV record split into its fields. */
    record Fields(long line, List<String> values, String raw) implements Row {}

    /** A line of a JSON Lines file. */
    record Line(long line, String raw) implements Row {}

    /** A row the reader could not delimit; {@code raw} is as much of it as is worth keeping. */
    record Broken(long line, String raw, String rule, String message) implements Row {}
}
