package io.siyu.ingestion.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class RowReaderTests {

    @Property
    void readsBackWhateverAnRfc4180WriterWrote(@ForAll("records") List<List<String>> records, @ForAll boolean bom,
            @ForAll boolean crlf, @ForAll @IntRange(min = 1, max = 9) int chunk) throws IOException {
        StringBuilder file = new StringBuilder(bom ? "\uFEFF" : "");
        List<Long> expectedLines = new ArrayList<>();
        for (List<String> record : records) {
            expectedLines.add(1 + lineBreaks(file));
            file.append(write(record)).append(crlf ? "\r\n" : "\n");
        }

        List<Row> rows = readAll(RowReader.csv(new TrickleReader(file.toString(), chunk), 1_000_000));

        assertThat(rows).allSatisfy(row -> assertThat(row).isInstanceOf(Row.Fields.class));
        assertThat(rows).extracting(row -> ((Row.Fields) row).values()).isEqualTo(records);
        assertThat(rows).extracting(Row::line).isEqualTo(expectedLines);
    }

    @Property
    void neverFailsNorReturnsARowOverTheLimitWhateverTheInput(@ForAll("anything") String input,
            @ForAll @IntRange(min = 1, max = 9) int chunk, @ForAll boolean csv) throws IOException {
        int max = 20;
        var reader = csv ? RowReader.csv(new TrickleReader(input, chunk), max)
                : RowReader.jsonLines(new TrickleReader(input, chunk), max);

        List<Row> rows = readAll(reader);

        long previous = 0;
        for (Row row : rows) {
            assertThat(row.line()).isGreaterThan(previous).isLessThanOrEqualTo(1 + lineBreaks(input));
            previous = row.line();
            if (!(row instanceof Row.Broken)) {
                assertThat(row.raw().length()).isLessThanOrEqualTo(max);
            }
        }
    }

    @Property
    void readsJsonLinesAsTheyWereWrittenSkippingBlankLines(
            @ForAll @Size(max = 20) List<@StringLength(max = 30) String> lines) throws IOException {
        List<String> written = lines.stream().map(l -> l.replaceAll("[\r\n]", " ")).toList();
        String file = String.join("\n", written);

        List<Row> rows = readAll(RowReader.jsonLines(new StringReader(file), 1_000));

        // a BOM is dropped at the start of the file only
        String withoutBom = file.startsWith("\uFEFF") ? file.substring(1) : file;
        List<String> expected = withoutBom.isEmpty() ? List.of() : List.of(withoutBom.split("\n", -1));
        assertThat(rows).extracting(Row::raw).isEqualTo(expected.stream().filter(l -> !l.isBlank()).toList());
    }

    @Example
    void keepsQuotedCommasLineBreaksQuotesAndChineseTextInOneField() throws IOException {
        String csv = "\uFEFFuserId,traits.备注\r\nu1,\"上海, 浦东\r\n\"\"VIP\"\" 客户\"\r\nu2,普通\r\n";

        List<Row> rows = readAll(RowReader.csv(new StringReader(csv), 1_000));

        assertThat(rows).extracting(row -> ((Row.Fields) row).values()).containsExactly(
                List.of("userId", "traits.备注"), List.of("u1", "上海, 浦东\r\n\"VIP\" 客户"), List.of("u2", "普通"));
        assertThat(rows).extracting(Row::line).containsExactly(1L, 2L, 4L);
    }

    @Example
    void reportsAnOversizedLineAndResumesOnTheNextOne() throws IOException {
        String csv = "a,b\n" + "x".repeat(5_000) + ",\"never closed\n1,2\n";

        List<Row> rows = readAll(RowReader.csv(new StringReader(csv), 100));

        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).isInstanceOfSatisfying(Row.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(2);
            assertThat(broken.rule()).isEqualTo("max-size");
            assertThat(broken.raw().length()).isLessThan(1_100);
        });
        assertThat(rows.get(2)).isEqualTo(new Row.Fields(3, List.of("1", "2"), "1,2"));
    }

    @Example
    void reportsAQuoteLeftOpenAtTheEndOfTheFile() throws IOException {
        List<Row> rows = readAll(RowReader.csv(new StringReader("a,b\n1,\"open\n2,3\n"), 1_000));

        assertThat(rows.getLast()).isInstanceOfSatisfying(Row.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(2);
            assertThat(broken.rule()).isEqualTo("quote");
        });
    }

    @Provide
    Arbitrary<List<List<String>>> records() {
        Arbitrary<String> field = Arbitraries.strings()
                .withChars("ab ,\"\r\n上海é\t;'")
                .withCharRange('a', 'c')
                .ofMaxLength(12);
        return field.list().ofMinSize(1).ofMaxSize(6).list().ofMaxSize(15);
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("a,\"\r\n\uFEFF\u0000").ofMaxLength(200));
    }

    private static String write(List<String> record) {
        List<String> fields = new ArrayList<>();
        for (String value : record) {
            boolean quote = value.matches("(?s).*[,\"\r\n].*") || value.startsWith("\uFEFF") || record.size() == 1 && value.isEmpty();
            fields.add(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }
        return String.join(",", fields);
    }

    private static long lineBreaks(CharSequence text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                breaks++;
            }
        }
        return breaks;
    }

    private static List<Row> readAll(RowReader reader) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Row row = reader.next(); row != null; row = reader.next()) {
            rows.add(row);
        }
        return rows;
    }

    /** Hands out a few characters per read, as a network stream does, to exercise the buffer's edges. */
    private static final class TrickleReader extends Reader {
        private final String text;
        private final int chunk;
        private int position;

        TrickleReader(String text, int chunk) {
            this.text = text;
            this.chunk = chunk;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (position == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(chunk, length), text.length() - position);
            text.getChars(position, position + n, buffer, offset);
            position += n;
            return n;
        }

        @Override
        public void close() {}
    }
}
