package io.siyu.compliance.lexicon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Folds text into the form the lexicon is matched in, one UTF-16 unit at a time through a single
 * 64K-entry table: full-width ASCII to half width, traditional to simplified Chinese, case folded,
 * and separators dropped (spaces, punctuation, symbols, zero-width and control characters,
 * surrogates such as emoji), so that "最 佳", "最.佳", "最\u200b佳" and "最佳" read alike.
 * Digits, letters and '%' are kept because terms such as "100%" need them.
 *
 * <p>Thread-safe and allocation-free apart from the caller's buffers: the table is immutable.
 */
public final class TextNormaliser {

    /** The table's marker for "drop this unit". */
    private static final char DROP = 0;

    private static final TextNormaliser STANDARD = new TextNormaliser(loadTraditionalToSimplified());

    private final char[] table = new char[65536];

    private TextNormaliser(char[][] traditionalToSimplified) {
        for (int c = 0; c < 65536; c++) {
            table[c] = fold((char) c);
        }
        for (char[] pair : traditionalToSimplified) {
            table[pair[0]] = pair[1];
        }
    }

    public static TextNormaliser standard() {
        return STANDARD;
    }

    /** The folded form of one unit, or 0 when it is dropped. */
    public char map(char c) {
        return table[c];
    }

    /**
     * Normalises {@code text} into {@code into}, recording for every kept unit the index of the
     * unit in {@code text} it came from.
     *
     * @return the number of units written; {@code into.chars()} and {@code into.origins()} hold them
     */
    public int normalise(String text, NormalisedText into) {
        int n = text.length();
        into.ensureCapacity(n);
        char[] in = into.source();
        text.getChars(0, n, in, 0); // one bulk copy, then plain array loops (faster than charAt)
        char[] out = into.chars();
        int[] origin = into.origins();
        char[] table = this.table;
        int w = 0;
        for (int i = 0; i < n; i++) {
            char m = table[in[i]];
            if (m != DROP) {
                out[w] = m;
                origin[w++] = i;
            }
        }
        into.length(w, n);
        return w;
    }

    /** Normalises a lexicon term (no offsets needed). */
    public String normalise(String term) {
        StringBuilder sb = new StringBuilder(term.length());
        for (int i = 0; i < term.length(); i++) {
            char m = table[term.charAt(i)];
            if (m != DROP) {
                sb.append(m);
            }
        }
        return sb.toString();
    }

    private static char fold(char c) {
        if (c >= '\uFF01' && c <= '\uFF5E') { // full-width ASCII block
            c = (char) (c - 0xFEE0);
        }
        if (c == '%' || Character.isLetterOrDigit(c)) {
            if (Character.isSurrogate(c)) {
                return DROP;
            }
            char lower = Character.toLowerCase(c);
            return lower == DROP ? c : lower;
        }
        // Everything else is a separator for matching purposes: whitespace (incl. U+3000), ASCII
        // and CJK punctuation, symbols, zero-width joiners/spaces (U+200B..U+200F, U+2060, U+FEFF),
        // controls and lone surrogates. Dropping them defeats "最-佳" style evasion.
        return DROP;
    }

    private static char[][] loadTraditionalToSimplified() {
        try (InputStream in = TextNormaliser.class.getResourceAsStream("/compliance/t2s.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource /compliance/t2s.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            java.util.List<char[]> pairs = new java.util.ArrayList<>(3000);
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                if (line.length() != 2) {
                    throw new IllegalStateException("t2s.txt: expected two characters per line, got '" + line + "'");
                }
                pairs.add(new char[] {line.charAt(0), line.charAt(1)});
            }
            return pairs.toArray(char[][]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /compliance/t2s.txt", e);
        }
    }
}
