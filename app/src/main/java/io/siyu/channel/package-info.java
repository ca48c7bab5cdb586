/**
 * Channels: message templates rendered per channel, a durable outbox that every send passes
 * (after the {@link io.siyu.action.SendPolicy}), the {@link io.siyu.channel.ChannelProvider} SPI with
 * e-mail (SMTP), SMS (Yunpian), webhook, WeCom (WxJava) and in-app inbox providers, and the receipts
 * (sent, delivered, opened, clicked) that come back as events. Start at {@code Dispatcher} (decide)
 * and {@code OutboxWorker} (send).
 */
@NullMarked
package io.siyu.channel;

import org.jspecify.annotations.NullMarked;
