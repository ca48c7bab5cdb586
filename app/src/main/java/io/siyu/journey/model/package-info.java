/** The journey definition language: JSON in, a validated graph out, with RFC 9457 violations for every flaw. */
@NullMarked
package io.siyu.journey.model;

import org.jspecify.annotations.NullMarked;
