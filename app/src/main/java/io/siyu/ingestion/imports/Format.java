package io.siyu.ingestion.imports;

import java.util.Locale;
import java.util.Optional;

/** The file formats an import takes, by media type. */
enum Format {
    CSV,
    JSON_LINES;

    /** {@code text/csv}; {@code application/x-ndjson}, or {@code application/jsonl} as some tools send it. */
    static Optional<Format> ofMediaType(String type, String subtype) {
        String media = (type + "/" + subtype).toLowerCase(Locale.ROOT);
        return switch (media) {
            case "text/csv" -> Optional.of(CSV);
            case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines" ->
                    Optional.of(JSON_LINES);
            default -> Optional.empty();
        };
    }
}
