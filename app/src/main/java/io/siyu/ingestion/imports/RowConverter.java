package io.siyu.ingestion.imports;

/** Turns the rows of one file into Segment messages, and names message fields as the file does. */
interface RowConverter {

    Conversion convert(Row row);

    /** The name the file uses for a message field in errors; the field itself unless a column renames it. */
    default String nameOf(String field) {
        return field;
    }
}
