/** Tags and segments: who people are, kept current by every event, answered from bitmaps while operators type. */
@NullMarked
package io.siyu.segment;

import org.jspecify.annotations.NullMarked;
