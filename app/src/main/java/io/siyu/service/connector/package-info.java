/**
 * Ports to the brand's order system (OMS/ERP) and inventory, which the bot's task dialogues call,
 * and their HTTP implementations (endpoints configured under {@code siyu.service.oms} and
 * {@code siyu.service.inventory}).
 */
@NullMarked
package io.siyu.service.connector;

import org.jspecify.annotations.NullMarked;
