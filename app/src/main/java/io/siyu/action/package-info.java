/**
 * The contract between what decides (journeys, operators, the bot) and what acts (channels,
 * coupons, agent queues, webhooks), and the gates every outgoing message passes (consent, content
 * compliance, frequency caps, quiet hours). Only interfaces and values live here, so the
 * capabilities on either side never depend on each other.
 */
@NullMarked
package io.siyu.action;

import org.jspecify.annotations.NullMarked;
