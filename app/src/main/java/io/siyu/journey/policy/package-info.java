/** Send policies for every outgoing message: consent, content, frequency caps, quiet hours, rate limits; every hold-back recorded. */
@NullMarked
package io.siyu.journey.policy;

import org.jspecify.annotations.NullMarked;
