/** The condition language shared by tag rules, segment definitions and journey branches: parse, print, JSON, plan and evaluate. */
@NullMarked
package io.siyu.segment.condition;

import org.jspecify.annotations.NullMarked;
