/** WeCom (企业微信) callbacks: each tenant's app settings, signed and encrypted XML in, standard events out. */
@NullMarked
package io.siyu.ingestion.wecom;

import org.jspecify.annotations.NullMarked;
