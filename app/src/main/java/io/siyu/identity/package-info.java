/** One person per human: the identity graph that joins anonymous ids, user ids, WeChat ids, phones and e-mails. */
@NullMarked
package io.siyu.identity;

import org.jspecify.annotations.NullMarked;
