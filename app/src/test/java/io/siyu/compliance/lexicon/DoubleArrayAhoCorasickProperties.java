package io.siyu.compliance.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The automaton finds exactly the occurrences a naive indexOf loop finds, on small alphabets where overlaps abound. */
class DoubleArrayAhoCorasickProperties {

    @Property(tries = 300)
    void findsExactlyWhatIndexOfFinds(@ForAll("keys") @Size(min = 1, max = 40) List<String> keys, @ForAll("texts") String text) {
        int[] values = new int[keys.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        DoubleArrayAhoCorasick automaton = DoubleArrayAhoCorasick.build(keys, values);
        DoubleArrayAhoCorasick.Matches matches = new DoubleArrayAhoCorasick.Matches();
        automaton.scan(text.toCharArray(), text.length(), matches);

        List<String> found = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            found.add(matches.value(i) + "@" + matches.end(i));
        }
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            for (int from = text.indexOf(keys.get(k)); from >= 0; from = text.indexOf(keys.get(k), from + 1)) {
                expected.add(k + "@" + (from + keys.get(k).length() - 1));
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(automaton.count(text.toCharArray(), text.length())).isEqualTo(expected.size());
    }

    @Example
    void aLargeLexiconOverAWideAlphabetMatchesIndexOf() {
        java.util.Random random = new java.util.Random(3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = 2 + random.nextInt(5); n > 0; n--) {
                key.append((char) (0x4E00 + (random.nextBoolean() ? random.nextInt(60) : random.nextInt(6_000))));
            }
            keys.add(key.toString());
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4_000; i++) {
            text.append((char) (0x4E00 + random.nextInt(60)));
        }
        findsExactlyWhatIndexOfFinds(keys, text.toString());
    }

    @Provide
    Arbitrary<List<String>> keys() {
        return Arbitraries.strings().withChars("最佳第一国家级收益ab%").ofMinLength(1).ofMaxLength(5).list();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("最佳第一国家级收益ab%xy中").ofMaxLength(80);
    }
}
