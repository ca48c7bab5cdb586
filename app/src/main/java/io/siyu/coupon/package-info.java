/**
 * Coupons: templates (fixed amount, percentage, threshold 满减, no-threshold, free shipping) with
 * stock, per-person limits, validity and scope; issue, claim, redeem, expire and void, each an
 * event; best-coupon selection at checkout with member-discount stacking; no oversell (an
 * in-memory stock per template backed by a table that cannot hold more coupons than the stock);
 * and detection of one device, phone or payment account farming coupons across accounts.
 * All money is in fen ({@code long}).
 */
@NullMarked
package io.siyu.coupon;

import org.jspecify.annotations.NullMarked;
