/** The journey state machine: per-tenant books of enrollments, the hierarchical timing wheel, the journal sink. */
@NullMarked
package io.siyu.journey.runtime;

import org.jspecify.annotations.NullMarked;
