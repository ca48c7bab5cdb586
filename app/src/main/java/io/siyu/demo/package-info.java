/** The demo brand that {@code ./siyu demo} loads: a tenant, its write key and a deterministic synthetic history. */
@NullMarked
package io.siyu.demo;

import org.jspecify.annotations.NullMarked;
