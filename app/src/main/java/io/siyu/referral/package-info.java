/**
 * Referral ("fission", 裂变) and "help me" (好友助力) campaigns: personal share codes and QR posters;
 * an engine extension ({@link io.siyu.referral.ReferralBook}) that notices, in log order, when a new
 * friend who came through a code follows, adds the WeCom contact or signs up; an attributor that
 * turns those conversions into one attribution per friend, checks them for fraud (self-invites,
 * repeated devices, invite rings) and rewards sharer and friend through the coupon desk, each
 * reward idempotent; and help tasks that reward their owner once enough friends helped and tell
 * the ERP with a signed, retried webhook.
 */
@NullMarked
package io.siyu.referral;

import org.jspecify.annotations.NullMarked;
