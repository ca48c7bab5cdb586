/**
 * Tags and segments: who people are, kept current by every event, answered from bitmaps while operators type.
 * An open module: journeys use its condition language ({@code io.siyu.segment.condition}), which must
 * stay free of Spring (it runs on the engine's hot path), so it cannot carry a named-interface annotation.
 */
@NullMarked
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.siyu.segment;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
