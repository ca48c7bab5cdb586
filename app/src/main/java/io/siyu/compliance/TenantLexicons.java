package io.siyu.compliance;

import io.siyu.action.ContentGate.Verdict;
import io.siyu.compliance.lexicon.Entry;
import io.siyu.compliance.lexicon.Lexicon;
import io.siyu.compliance.lexicon.ShippedLexicon;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Each tenant's compiled lexicon: the shipped entries plus the tenant's lists. Compiled on first
 * use and again after every list change; the new automaton replaces the old one in a single
 * reference swap, so checks running meanwhile finish on the old one and nothing restarts.
 */
@Component
class TenantLexicons {

    private final LexiconLists lists;
    private final Lexicon shipped = Lexicon.of(ShippedLexicon.entries());
    private final ConcurrentHashMap<Integer, Lexicon> compiled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Object> locks = new ConcurrentHashMap<>();

    TenantLexicons(LexiconLists lists) {
        this.lists = lists;
    }

    Lexicon of(TenantId tenant) {
        Lexicon lexicon = compiled.get(tenant.value());
        return lexicon != null ? lexicon : rebuild(tenant);
    }

    /**
     * Compiles the tenant's lexicon from the stored lists and swaps it in. Serialised per tenant so
     * the last rebuild always reads the last committed change.
     */
    Lexicon rebuild(TenantId tenant) {
        synchronized (locks.computeIfAbsent(tenant.value(), t -> new Object())) {
            List<LexiconLists.TermList> own = lists.all(tenant);
            Lexicon lexicon = own.isEmpty() ? shipped : Lexicon.of(entries(own));
            compiled.put(tenant.value(), lexicon);
            return lexicon;
        }
    }

    static List<Entry> entries(List<LexiconLists.TermList> own) {
        List<Entry> entries = new ArrayList<>(ShippedLexicon.entries());
        for (LexiconLists.TermList list : own) {
            String rule = "tenant:" + list.name();
            for (String term : list.terms()) {
                entries.add(switch (list.kind()) {
                    case BLOCK -> Entry.flag(term, "tenant", rule, Verdict.BLOCK);
                    case REVIEW -> Entry.flag(term, "tenant", rule, Verdict.REVIEW);
                    case ALLOW -> Entry.allow(term, rule);
                });
            }
        }
        return entries;
    }
}
