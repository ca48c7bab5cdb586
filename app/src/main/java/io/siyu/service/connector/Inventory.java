package io.siyu.service.connector;

import io.siyu.platform.TenantId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Stock levels by SKU; throws {@link ConnectorUnavailable} when the remote cannot answer. */
public interface Inventory {

    record Stock(String sku, int available, @Nullable String restockDate) {}

    /** Empty when the inventory does not know the SKU. */
    Optional<Stock> stock(TenantId tenant, String sku);
}
