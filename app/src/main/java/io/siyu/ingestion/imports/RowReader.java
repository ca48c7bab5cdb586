package io.siyu.ingestion.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads an import file one row at a time, so memory depends on the longest row and never on the
 * file. CSV follows RFC 4180 (quoted fields may hold commas, quotes as {@code ""} and line breaks);
 * JSON Lines rows are physical lines. Both accept CRLF, LF or CR line ends, skip a leading UTF-8
 * BOM and blank lines.
 *
 * <p>A row longer than {@code maxRowChars} comes back as {@link Row.Broken} and reading resumes at
 * the next physical line: an unbalanced quote or a hostile multi-gigabyte line costs one row,
 * not the server's heap. Lenient where RFC 4180 is silent in practice: a quote inside an unquoted
 * field, or text after a closing quote, is kept as text.
 */
final class RowReader {

    private static final int KEPT_OF_OVERSIZED_ROW = 1_000;

    private final Reader in;
    private final boolean csv;
    private final int maxRowChars;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder raw = new StringBuilder();
    private final StringBuilder value = new StringBuilder();
    private final List<String> values = new ArrayList<>();
    private int position;
    private int limit;
    private long line = 1;
    private boolean started;

    private RowReader(Reader in, boolean csv, int maxRowChars) {
        this.in = in;
        this.csv = csv;
        this.maxRowChars = maxRowChars;
    }

    static RowReader csv(Reader in, int maxRowChars) {
        return new RowReader(in, true, maxRowChars);
    }

    static RowReader jsonLines(Reader in, int maxRowChars) {
        return new RowReader(in, false, maxRowChars);
    }

    /** The physical line reading has reached. */
    long line() {
        return line;
    }

    /** The next non-blank row, or null at the end of the input. */
    @Nullable Row next() throws IOException {
        if (!started) {
            started = true;
            if (read() != '\uFEFF') {
                unread();
            }
        }
        while (true) {
            long first = line;
            raw.setLength(0); // reused: a file of blank lines must not allocate per line
            values.clear();
            value.setLength(0);
            boolean inQuotes = false;
            boolean valueStarted = false;
            while (true) {
                int c = read();
                if (c == -1) {
                    if (raw.isEmpty()) {
                        return null;
                    }
                    if (inQuotes) {
                        return new Row.Broken(first, abbreviate(raw), "quote",
                                "a quoted field is not closed before the end of the file");
                    }
                    break;
                }
                if (inQuotes) {
                    raw.append((char) c);
                    if (c == '"') {
                        if (read() == '"') {
                            raw.append('"');
                            value.append('"');
                        } else {
                            unread();
                            inQuotes = false;
                        }
                    } else {
                        countLineBreak(c);
                        value.append((char) c);
                    }
                } else if (c == '\n' || c == '\r') {
                    endLine(c);
                    break;
                } else {
                    raw.append((char) c);
                    if (csv && c == ',') {
                        values.add(value.toString());
                        value.setLength(0);
                        valueStarted = false;
                    } else if (csv && c == '"' && !valueStarted) {
                        inQuotes = true;
                        valueStarted = true;
                    } else {
                        value.append((char) c);
                        valueStarted = true;
                    }
                }
                if (raw.length() > maxRowChars) {
                    skipRestOfLine();
                    return new Row.Broken(first, abbreviate(raw), "max-size",
                            "a row is at most " + maxRowChars + " characters; reading resumes on the next line");
                }
            }
            if (raw.isEmpty() || !csv && raw.toString().isBlank()) {
                continue;
            }
            if (!csv) {
                return new Row.Line(first, raw.toString());
            }
            values.add(value.toString());
            return new Row.Fields(first, List.copyOf(values), raw.toString());
        }
    }

    private void countLineBreak(int c) throws IOException {
        if (c == '\n') {
            line++;
        } else if (c == '\r') {
            if (read() != '\n') {
                line++;
            }
            unread(); // the \n, if any, is read (and counted) as the next character of the field
        }
    }

    private void endLine(int c) throws IOException {
        if (c == '\r' && read() != '\n') {
            unread();
        }
        line++;
    }

    private void skipRestOfLine() throws IOException {
        int c;
        do {
            c = read();
        } while (c != -1 && c != '\n' && c != '\r');
        if (c != -1) {
            endLine(c);
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                position = limit = 0;
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++];
    }

    /** Steps back over the last {@link #read()}; always possible because a refill keeps it at index 0. */
    private void unread() {
        if (position > 0) {
            position--;
        }
    }

    private static String abbreviate(StringBuilder text) {
        return text.length() > KEPT_OF_OVERSIZED_ROW ? text.substring(0, KEPT_OF_OVERSIZED_ROW) + "…" : text.toString();
    }
}
