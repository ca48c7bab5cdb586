/**
 * Content compliance and risk rules: the {@link io.siyu.action.ContentGate} every outgoing text
 * passes (a double-array Aho-Corasick lexicon with context rules, per-tenant lists, a human review
 * queue), product suitability by risk level, and detectors over the event stream that flag and
 * freeze suspicious people.
 */
@NullMarked
package io.siyu.compliance;

import org.jspecify.annotations.NullMarked;
