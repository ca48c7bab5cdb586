/**
 * Ports to the brand's order system (OMS/ERP) and inventory, which the bot's task dialogues call,
 * and their HTTP implementations, routed per brand by {@link io.siyu.service.connector.TenantConnectors}
 * (endpoints set through the API, or installation-wide under {@code siyu.service.oms.url} and
 * {@code siyu.service.inventory.url}).
 */
@NullMarked
package io.siyu.service.connector;

import org.jspecify.annotations.NullMarked;
