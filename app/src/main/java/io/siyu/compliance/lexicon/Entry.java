package io.siyu.compliance.lexicon;

import io.siyu.action.ContentGate.Verdict;
import java.util.Objects;

/**
 * One lexicon term and what finding it means.
 *
 * @param kind     what a match does
 * @param term     the term as listed (reported in findings); matched in its normalised form
 * @param category e.g. {@code advertising}, {@code medical}, {@code finance}, {@code tenant}
 * @param rule     the rule reported with a finding, e.g. {@code ad-law.absolute}, {@code tenant:banned}
 * @param severity for {@link Kind#FLAG}: {@code BLOCK} or {@code REVIEW}; {@code PASS} for the other kinds
 */
public record Entry(Kind kind, String term, String category, String rule, Verdict severity) {

    public enum Kind {
        /** A prohibited or doubtful term: a finding with the entry's severity. */
        FLAG,
        /** A harmless phrase: flagged terms wholly inside it are not findings ("第一次" holds "第一"). */
        ALLOW,
        /** A word that makes a nearby percentage a return figure ("收益", "年化"). */
        RETURN_CUE,
        /** A disclaimer that lets return figures stand ("非保证收益"); also allows the terms inside it. */
        DISCLAIMER
    }

    public Entry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        if (term.isBlank()) {
            throw new IllegalArgumentException("empty term in rule " + rule);
        }
        if (kind == Kind.FLAG && severity == Verdict.PASS) {
            throw new IllegalArgumentException("a flagged term needs severity BLOCK or REVIEW: " + term);
        }
    }

    public static Entry flag(String term, String category, String rule, Verdict severity) {
        return new Entry(Kind.FLAG, term, category, rule, severity);
    }

    public static Entry allow(String term, String rule) {
        return new Entry(Kind.ALLOW, term, "allow", rule, Verdict.PASS);
    }
}
