/** Cross-cutting platform: tenants and their keys, authentication, problem responses, the embedded database and the clock. */
@NullMarked
package io.siyu.platform;

import org.jspecify.annotations.NullMarked;
