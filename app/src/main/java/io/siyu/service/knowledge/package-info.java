/**
 * The FAQ knowledge base: questions and answers per brand in PostgreSQL, retrieved with Apache
 * Lucene (CJK bigrams over normalised text, BM25, synonym expansion), answered with a confidence
 * (bigram overlap with the matched question), and the questions the bot could not answer grouped
 * into suggested new FAQs.
 */
@NullMarked
package io.siyu.service.knowledge;

import org.jspecify.annotations.NullMarked;
