/**
 * Pure-Java language understanding: length-preserving normalisation, a softmax intent model over
 * hashed character n-grams with a calibrated fallback threshold, rule-based entities (order
 * numbers, phones, Chinese dates and times, amounts, catalogue products) and lexicon sentiment
 * with anger detection. {@link io.siyu.service.nlu.LanguageUnderstanding} is the entry point.
 */
@NullMarked
package io.siyu.service.nlu;

import org.jspecify.annotations.NullMarked;
