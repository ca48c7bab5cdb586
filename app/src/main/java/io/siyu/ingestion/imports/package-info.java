/** Bulk import of events and profiles from CSV and JSON Lines files, streamed row by row into the intake. */
@NullMarked
package io.siyu.ingestion.imports;

import org.jspecify.annotations.NullMarked;
