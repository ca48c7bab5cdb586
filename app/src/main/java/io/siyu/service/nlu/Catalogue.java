package io.siyu.service.nlu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Products and categories the bot can recognise in a message, each with the aliases people use.
 * Matching is longest-alias-first at each position over the normalised text, indexed by first
 * character so a message costs a few comparisons per character whatever the catalogue size.
 */
public final class Catalogue {

    /** One catalogue entry; {@code sku} is null for categories. */
    public record Item(String kind, String name, String sku, List<String> aliases) {}

    private final List<Item> items;
    private final Map<Character, List<Alias>> byFirstChar = new HashMap<>();

    private record Alias(String text, Item item) {}

    public Catalogue(List<Item> items) {
        this.items = List.copyOf(items);
        for (Item item : items) {
            for (String alias : item.aliases()) {
                String key = TextNormaliser.normalise(alias);
                if (!key.isBlank()) {
                    byFirstChar.computeIfAbsent(key.charAt(0), c -> new ArrayList<>()).add(new Alias(key, item));
                }
            }
        }
        byFirstChar.values().forEach(list -> list.sort(Comparator.comparingInt((Alias a) -> a.text().length()).reversed()));
    }

    /** The catalogue shipped in {@code service/catalogue.tsv}. */
    public static Catalogue bundled() {
        try (InputStream in = Catalogue.class.getResourceAsStream("/service/catalogue.tsv")) {
            if (in == null) {
                throw new IllegalStateException("service/catalogue.tsv is missing from the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code kind<TAB>name<TAB>sku|-<TAB>alias|alias…} lines; {@code #} starts a comment. */
    public static Catalogue read(InputStream in) throws IOException {
        List<Item> items = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t");
            if (cols.length != 4 || !(cols[0].equals(Entity.PRODUCT) || cols[0].equals(Entity.CATEGORY))) {
                throw new IllegalArgumentException("catalogue line " + lineNo + ": expected kind, name, sku, aliases");
            }
            items.add(new Item(cols[0], cols[1], cols[2].equals("-") ? null : cols[2], List.of(cols[3].split("\\|"))));
        }
        return new Catalogue(items);
    }

    public List<Item> items() {
        return items;
    }

    public Optional<Item> find(String nameOrAlias) {
        String key = TextNormaliser.normalise(nameOrAlias.strip());
        for (Item item : items) {
            if (TextNormaliser.normalise(item.name()).equals(key)) {
                return Optional.of(item);
            }
        }
        List<Alias> candidates = key.isEmpty() ? null : byFirstChar.get(key.charAt(0));
        if (candidates != null) {
            for (Alias alias : candidates) {
                if (alias.text().equals(key)) {
                    return Optional.of(alias.item());
                }
            }
        }
        return Optional.empty();
    }

    void extract(String normalised, List<Entity> out) {
        int i = 0;
        while (i < normalised.length()) {
            List<Alias> candidates = byFirstChar.get(normalised.charAt(i));
            Alias hit = null;
            if (candidates != null) {
                for (Alias alias : candidates) {
                    if (normalised.startsWith(alias.text(), i)) {
                        hit = alias;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            out.add(new Entity(hit.item().kind(), hit.item().name(), i, i + hit.text().length()));
            i += hit.text().length();
        }
    }
}
