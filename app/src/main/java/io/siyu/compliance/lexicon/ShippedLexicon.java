package io.siyu.compliance.lexicon;

import io.siyu.action.ContentGate.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lexicon Siyu ships ({@code /compliance/lexicon.txt}): absolute terms, medical and finance claims, context rules. */
public final class ShippedLexicon {

    private static final List<Entry> ENTRIES = load("/compliance/lexicon.txt");

    private ShippedLexicon() {}

    public static List<Entry> entries() {
        return ENTRIES;
    }

    static List<Entry> load(String resource) {
        try (InputStream in = ShippedLexicon.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static List<Entry> parse(BufferedReader reader, String resource) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String[] section = null;
        int number = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.substring(1, line.length() - 1).split("\\s+");
                if (section.length != 4) {
                    throw new IllegalStateException(resource + ":" + number + ": a section names kind, category, rule, severity");
                }
                continue;
            }
            if (section == null) {
                throw new IllegalStateException(resource + ":" + number + ": term before the first section");
            }
            Entry.Kind kind = switch (section[0]) {
                case "flag" -> Entry.Kind.FLAG;
                case "allow" -> Entry.Kind.ALLOW;
                case "cue" -> Entry.Kind.RETURN_CUE;
                case "disclaimer" -> Entry.Kind.DISCLAIMER;
                default -> throw new IllegalStateException(resource + ":" + number + ": unknown kind " + section[0]);
            };
            Verdict severity = section[3].equals("-") ? Verdict.PASS : Verdict.valueOf(section[3].toUpperCase(Locale.ROOT));
            entries.add(new Entry(kind, line, section[1], section[2], severity));
        }
        return List.copyOf(entries);
    }
}
