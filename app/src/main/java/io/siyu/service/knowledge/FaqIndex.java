package io.siyu.service.knowledge;

import io.siyu.service.nlu.TextNormaliser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
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
 */
public final class FaqIndex {

    /** One indexed text and the key it answers for (an FAQ id, or a label). */
    public record Entry(String key, String text) {}

    public record Hit(String key, String text, double score) {}

    private static final int MAX_QUERY_TERMS = 256;

    private final Analyzer analyzer = new CJKAnalyzer(CharArraySet.EMPTY_SET);
    private final IndexSearcher searcher;

    public FaqIndex(List<Entry> entries) {
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (Entry entry : entries) {
                Document doc = new Document();
                doc.add(new StoredField("key", entry.key()));
                doc.add(new StoredField("raw", entry.text()));
                doc.add(new TextField("text", TextNormaliser.normalise(entry.text()), Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.commit();
            searcher = new IndexSearcher(DirectoryReader.open(directory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Hit> search(String query, int limit) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream tokens = analyzer.tokenStream("text", Synonyms.expand(TextNormaliser.normalise(query)))) {
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
                Document doc = searcher.storedFields().document(sd.doc);
                hits.add(new Hit(doc.get("key"), doc.get("raw"), sd.score));
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
        var q = Bigrams.of(query);
        var d = Bigrams.of(text);
        if (q.isEmpty() || d.isEmpty()) {
            return 0;
        }
        var qExpanded = Bigrams.of(Synonyms.expand(TextNormaliser.normalise(query)));
        var dExpanded = Bigrams.of(Synonyms.expand(TextNormaliser.normalise(text)));
        double docCovered = d.stream().filter(qExpanded::contains).count() / (double) d.size();
        double queryCovered = q.stream().filter(dExpanded::contains).count() / (double) q.size();
        return Math.sqrt(docCovered * queryCovered);
    }
}
