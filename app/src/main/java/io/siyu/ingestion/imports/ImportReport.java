package io.siyu.ingestion.imports;

import java.util.List;

/**
 * What an import did.
 *
 * @param rows data rows read (not the CSV header, not blank lines)
 * @param accepted rows that became durable events; re-sent rows count again but apply once
 * @param quarantined rows kept in quarantine with their reasons
 * @param errors the first {@value Importer#MAX_ERRORS} broken rules, in line order
 * @param lastSeq the event log position of the last accepted event, 0 when none was
 */
record ImportReport(long rows, long accepted, long quarantined, List<RowError> errors, long lastSeq) {

    /** One broken rule of one row; {@code field} is the column or message field, or {@code line} for the whole row. */
    record RowError(long line, String field, String rule, String message, long quarantineId) {}
}
