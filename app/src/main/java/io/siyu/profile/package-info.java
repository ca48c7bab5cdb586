/** The 360° profile of a person: typed traits and the statistics computed from their events. */
@NullMarked
package io.siyu.profile;

import org.jspecify.annotations.NullMarked;
