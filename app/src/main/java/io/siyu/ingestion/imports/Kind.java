package io.siyu.ingestion.imports;

/** What an import file holds: one event per row, or one person (an identify call) per row. */
enum Kind {
    EVENTS,
    PROFILES
}
