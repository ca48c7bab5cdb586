/**
 * The content-scanning hot path, plain Java: a normaliser with an offset map, a double-array
 * Aho-Corasick automaton, and a {@link io.siyu.compliance.lexicon.Lexicon} applying context rules.
 */
@NullMarked
package io.siyu.compliance.lexicon;

import org.jspecify.annotations.NullMarked;
