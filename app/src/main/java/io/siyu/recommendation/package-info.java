/**
 * Product recommendations (SPEC 2.4, 4.1, 4.4): per-tenant product popularity and each person's
 * recent product interest kept in engine state, a personalised list only for people who consented
 * to personalisation in full (everyone else gets the non-personalised best sellers), and every list
 * filtered by financial-product suitability before anyone sees it.
 */
@NullMarked
package io.siyu.recommendation;

import org.jspecify.annotations.NullMarked;
