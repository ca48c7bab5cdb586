/** The condition language shared by tag rules, segment definitions and journey branches: parse, print, JSON, plan and evaluate. */
@NullMarked
@NamedInterface("condition")
package io.siyu.segment.condition;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
