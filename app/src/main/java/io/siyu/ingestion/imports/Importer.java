package io.siyu.ingestion.imports;

import io.siyu.ingestion.Intake;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.PayloadTooLarge;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.platform.TenantId;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams an import file into the {@link Intake}: rows are read one at a time and handed over in
 * chunks, so memory is bounded by a chunk whatever the file's size. Good rows are imported, bad
 * ones quarantined and reported by line; one bad row never fails the file.
 *
 * <p>Rows without a {@code messageId} get {@code import-<sha256(tenant, row)>}: the engine drops
 * message ids it has seen, so re-running a file (after a timeout, or to finish an interrupted
 * upload) applies each row once. Identical rows in one file are, consequently, one event.
 *
 * <p>Chunks are durable when they are acknowledged, not at the end: a request that fails half way
 * (corrupt gzip, over the size limit, engine saturated) has imported the chunks before it, which the
 * error says; re-running the same file completes it.
 */
@Service
class Importer {

    static final int CHUNK_ROWS = 1_000;
    /** Bounds a chunk's memory when rows are long: 1,000 rows of 64 K characters would be 128 MB. */
    static final int CHUNK_CHARS = 4 * 1024 * 1024;
    /** Twice Segment's 32 KB per message, so whatever Segment takes imports, while no line can take the heap. */
    static final int MAX_ROW_CHARS = 64 * 1024;
    static final int MAX_ERRORS = 1_000;
    static final String SOURCE = "import";
    private static final String LINE = "line ";

    private final Intake intake;
    private final JsonMapper json;

    Importer(Intake intake, JsonMapper json) {
        this.intake = intake;
        this.json = json;
    }

    /**
     * @param body the file, already decompressed; read to its end but not closed
     * @throws InvalidInput for a CSV file without a usable header, or a body that breaks off or is not UTF-8
     * @throws PayloadTooLarge when {@code body} does, with the line reached
     * @throws ServiceUnavailable when the engine cannot take more now, with the line reached
     */
    ImportReport run(TenantId tenant, Kind kind, Format format, InputStream body) throws IOException {
        // REPORT, not the default replacement: a GBK export read as UTF-8 must fail, not import as "�"
        var reader = new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        RowReader rows = format == Format.CSV ? RowReader.csv(reader, MAX_ROW_CHARS) : RowReader.jsonLines(reader, MAX_ROW_CHARS);
        Run run = new Run(tenant);
        try {
            RowConverter converter = format == Format.CSV ? header(rows, kind) : new JsonLines(json, kind);
            for (Row row = rows.next(); row != null; row = rows.next()) {
                run.add(row, converter);
            }
            run.flush(converter);
        } catch (CharacterCodingException e) {
            throw new InvalidInput("body", "encoding", "the file is not UTF-8 (bytes near line " + rows.line()
                    + " are not); convert it, e.g. with iconv -f GBK -t UTF-8; " + run.progress());
        } catch (ZipException | EOFException e) {
            throw new InvalidInput("body", "gzip", "the gzip body is corrupt or truncated; " + run.progress());
        } catch (PayloadTooLarge e) {
            throw new PayloadTooLarge(e.field(), e.limit(), e.getMessage() + "; " + run.progress());
        } catch (ServiceUnavailable e) {
            throw new ServiceUnavailable(e.getMessage() + "; " + run.progress(), e.retryAfterSeconds());
        }
        return run.report();
    }

    private CsvHeader header(RowReader rows, Kind kind) throws IOException {
        Row first = rows.next();
        if (first == null) {
            throw new InvalidInput("header", "required", "the file has no rows; a CSV import starts with a header row");
        }
        if (!(first instanceof Row.Fields names)) {
            Row.Broken broken = (Row.Broken) first;
            throw new InvalidInput("header", broken.rule(), "the header row cannot be read: " + broken.message());
        }
        return CsvHeader.parse(names.values(), kind, json.getNodeFactory());
    }

    private static Conversion convert(Row row, RowConverter converter) {
        if (row instanceof Row.Broken broken) {
            return new Conversion.Refused(new Violation("line", broken.rule(), broken.message()));
        }
        if (row.raw().indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL, and a NUL in a text file means it is binary or UTF-16
            return new Conversion.Refused(new Violation("line", "control-character",
                    "the row holds a NUL character; is the file binary, or not UTF-8?"));
        }
        return converter.convert(row);
    }

    /** One import's progress: the chunk being filled and the totals so far. */
    private final class Run {

        private record Refusal(long line, String raw, Violation reason) {}

        private final TenantId tenant;
        private final List<Intake.Message> messages = new ArrayList<>();
        private final List<Refusal> refusals = new ArrayList<>();
        private final List<ImportReport.RowError> errors = new ArrayList<>();
        private long bufferedChars;
        private long rows;
        private long accepted;
        private long quarantined;
        private long lastSeq;
        private long importedThrough;
        private long lastLine;

        Run(TenantId tenant) {
            this.tenant = tenant;
        }

        void add(Row row, RowConverter converter) {
            rows++;
            lastLine = row.line();
            switch (convert(row, converter)) {
                case Conversion.Converted(ObjectNode message) -> {
                    if (!message.hasNonNull("messageId")) {
                        message.put("messageId", messageId(tenant, row.raw()));
                    }
                    messages.add(new Intake.Message(message, null, LINE + row.line(), row.raw()));
                }
                case Conversion.Refused(Violation reason) -> refusals.add(new Refusal(row.line(), row.raw(), reason));
            }
            bufferedChars += row.raw().length();
            if (messages.size() + refusals.size() >= CHUNK_ROWS || bufferedChars >= CHUNK_CHARS) {
                flush(converter);
            }
        }

        /** Hands the chunk to the intake; {@code converter} names the fields of its errors. */
        void flush(RowConverter converter) {
            List<ImportReport.RowError> chunkErrors = new ArrayList<>();
            if (!messages.isEmpty()) {
                Intake.Result result = intake.accept(tenant, messages, SOURCE, null);
                accepted += result.accepted();
                lastSeq = Math.max(lastSeq, result.lastSeq());
                for (Intake.Quarantined q : result.quarantined()) {
                    quarantined++;
                    long line = Long.parseLong(q.path().substring(LINE.length()));
                    for (Violation v : q.errors()) {
                        chunkErrors.add(new ImportReport.RowError(line, converter.nameOf(fieldWithin(v.field(), q.path())), v.rule(),
                                v.message(), q.quarantineId()));
                    }
                }
            }
            for (Refusal refusal : refusals) {
                Intake.Quarantined q = intake.quarantineUnparsable(tenant, SOURCE, LINE + refusal.line(), refusal.raw(),
                        refusal.reason());
                quarantined++;
                chunkErrors.add(new ImportReport.RowError(refusal.line(), refusal.reason().field(), refusal.reason().rule(),
                        refusal.reason().message(), q.quarantineId()));
            }
            chunkErrors.sort(Comparator.comparingLong(ImportReport.RowError::line));
            for (ImportReport.RowError error : chunkErrors) {
                if (errors.size() < MAX_ERRORS) {
                    errors.add(error);
                }
            }
            messages.clear();
            refusals.clear();
            bufferedChars = 0;
            importedThrough = lastLine;
        }

        String progress() {
            return importedThrough == 0 ? "no rows were imported"
                    : "rows through line " + importedThrough + " were imported; re-running the same file imports the rest"
                            + " and applies each row once";
        }

        ImportReport report() {
            return new ImportReport(rows, accepted, quarantined, List.copyOf(errors), lastSeq);
        }
    }

    /** The normaliser names fields {@code line 7.properties.order_id}; the report has the line separately. */
    private static String fieldWithin(String field, String path) {
        if (field.startsWith(path + ".")) {
            return field.substring(path.length() + 1);
        }
        return field.equals(path) ? "line" : field;
    }

    static String messageId(TenantId tenant, String row) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((tenant.value() + "\n").getBytes(StandardCharsets.UTF_8));
            return "import-" + HexFormat.of().formatHex(sha256.digest(row.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
