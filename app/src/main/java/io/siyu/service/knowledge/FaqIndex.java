package io.siyu.service.knowledge;

import io.siyu.service.nlu.TextNormaliser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * An in-memory Lucene index of short texts (FAQ questions and their alternates, or labelled
 * examples), BM25-ranked. Text is normalised first (traditional → simplified, width, case), then
 * the CJK analyzer makes overlapping bigrams of Han characters and words of Latin text; queries
 * are expanded with {@link Synonyms}. Immutable once built; searching is thread-safe.
 *
 * <p>Only the inverted index lives in Lucene. Keys, texts and each text's bigram sets are kept in
 * arrays by entry number (a doc value maps Lucene's doc id to it), so a hit costs no stored-field
 * decompression and {@link #confidence(Question, Hit)} no re-analysis of the text: on the bot's
 * reply path those two were most of the time and allocation.
 */
public final class FaqIndex {

    /** One indexed text and the key it answers for (an FAQ id, or a label). */
    public record Entry(String key, String text) {}

    /** {@code entry} is the entry's position in the list the index was built from. */
    public record Hit(String key, String text, double score, int entry) {}

    /** A query's bigrams, plain and synonym-expanded, computed once for all the hits it is compared with. */
    public record Question(String normalised, Set<String> bigrams, Set<String> expanded) {}

    private static final int MAX_QUERY_TERMS = 256;

    private final Analyzer analyzer = new CJKAnalyzer(CharArraySet.EMPTY_SET);
    private final IndexSearcher searcher;
    private final Entry[] entries;
    private final Set<?>[] bigrams;
    private final Set<?>[] expanded;
    private final int[] entryOfDoc;

    public FaqIndex(List<Entry> entries) {
        this.entries = entries.toArray(Entry[]::new);
        this.bigrams = new Set<?>[this.entries.length];
        this.expanded = new Set<?>[this.entries.length];
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (int i = 0; i < this.entries.length; i++) {
                String normalised = TextNormaliser.normalise(this.entries[i].text());
                bigrams[i] = Bigrams.of(this.entries[i].text());
                expanded[i] = Bigrams.of(Synonyms.expand(normalised));
                Document doc = new Document();
                doc.add(new NumericDocValuesField("entry", i));
                doc.add(new TextField("text", normalised, Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.commit();
            searcher = new IndexSearcher(DirectoryReader.open(directory));
            entryOfDoc = new int[searcher.getIndexReader().maxDoc()];
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                NumericDocValues values = leaf.reader().getNumericDocValues("entry");
                for (int doc = 0; values != null && doc < leaf.reader().maxDoc(); doc++) {
                    if (values.advanceExact(doc)) {
                        entryOfDoc[leaf.docBase + doc] = (int) values.longValue();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Question question(String query) {
        String normalised = TextNormaliser.normalise(query);
        return new Question(normalised, Bigrams.of(query), Bigrams.of(Synonyms.expand(normalised)));
    }

    public List<Hit> search(String query, int limit) {
        return search(question(query), limit);
    }

    public List<Hit> search(Question question, int limit) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream tokens = analyzer.tokenStream("text", Synonyms.expand(question.normalised()))) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && terms < MAX_QUERY_TERMS) {
                builder.add(new TermQuery(new Term("text", term.toString())), BooleanClause.Occur.SHOULD);
                terms++;
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (terms == 0) {
            return List.of();
        }
        try {
            TopDocs top = searcher.search(builder.build(), limit);
            List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                int entry = entryOfDoc[sd.doc];
                hits.add(new Hit(entries[entry].key(), entries[entry].text(), sd.score, entry));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How well {@code query} matches {@code text}, 0–1: the geometric mean of how much of the text
     * the (synonym-expanded) query covers and how much of the query the (expanded) text covers,
     * counted in character bigrams. BM25 ranks; this decides whether the best hit is good enough.
     */
    public static double confidence(String query, String text) {
        String normalisedText = TextNormaliser.normalise(text);
        return confidence(question(query), Bigrams.of(text), Bigrams.of(Synonyms.expand(normalisedText)));
    }

    /** {@link #confidence(String, String)} of a hit of this index, from the bigrams computed when it was built. */
    public double confidence(Question question, Hit hit) {
        return confidence(question, bigrams[hit.entry()], expanded[hit.entry()]);
    }

    private static double confidence(Question q, Set<?> d, Set<?> dExpanded) {
        if (q.bigrams().isEmpty() || d.isEmpty()) {
            return 0;
        }
        int docCovered = 0;
        for (Object gram : d) {
            docCovered += q.expanded().contains(gram) ? 1 : 0;
        }
        int queryCovered = 0;
        for (String gram : q.bigrams()) {
            queryCovered += dExpanded.contains(gram) ? 1 : 0;
        }
        return Math.sqrt(docCovered / (double) d.size() * (queryCovered / (double) q.bigrams().size()));
    }
}
