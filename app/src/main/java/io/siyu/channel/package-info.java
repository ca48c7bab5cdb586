/**
 * Channels: message templates rendered per channel, a durable outbox that every send passes
 * (after the {@link io.siyu.action.SendPolicy}), the {@link io.siyu.channel.ChannelProvider} SPI with
 * e-mail (SMTP), SMS (Aliyun), webhook and in-app inbox providers, and the receipts (delivered,
 * opened, clicked) that come back as events.
 */
@NullMarked
package io.siyu.channel;

import org.jspecify.annotations.NullMarked;
