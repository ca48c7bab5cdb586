/**
 * Channels: message templates rendered per channel, a durable outbox that every send passes
 * (after the {@link io.siyu.action.SendPolicy}), the {@link io.siyu.channel.ChannelProvider} SPI with
 * e-mail (SMTP), SMS (Yunpian), webhook, WeCom (WxJava), official account (WxJava mp) and in-app
 * inbox providers, and the receipts (sent, delivered, failed, opened, clicked) that come back as
 * events. Start at {@code Dispatcher} (decide) and {@code OutboxWorker} (send); remotes' later
 * reports (SMS status pushes, e-mail bounces, WeChat template results) go through
 * {@code DeliveryReports}.
 */
@NullMarked
package io.siyu.channel;

import org.jspecify.annotations.NullMarked;
