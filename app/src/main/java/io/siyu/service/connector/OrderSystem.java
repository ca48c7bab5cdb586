package io.siyu.service.connector;

import io.siyu.platform.TenantId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The brand's order system as the bot sees it. Implementations throw {@link ConnectorUnavailable}
 * when the remote cannot answer (timeout, 5xx), so the bot can say so and offer a human instead of
 * guessing.
 */
public interface OrderSystem {

    /**
     * @param status {@code pending}, {@code paid}, {@code shipped}, {@code delivered}, {@code cancelled} or {@code refunded}
     */
    record Order(String number, String status, @Nullable String carrier, @Nullable String trackingNumber,
            @Nullable String estimatedDelivery) {}

    sealed interface AddressChange {
        record Changed(String address, String phone) implements AddressChange {}

        /** The OMS said no, e.g. because the parcel has left the warehouse; {@code reason} is for the person. */
        record Refused(String reason) implements AddressChange {}
    }

    /** Empty when there is no such order for this brand. */
    Optional<Order> find(TenantId tenant, String orderNumber);

    /**
     * Changes where an order goes. Not idempotent on the remote side by contract, but setting the
     * same address twice is harmless, so a retry is safe.
     *
     * @param address the new address, or null to keep it
     * @param phone   the new recipient phone, or null to keep it
     */
    AddressChange changeAddress(TenantId tenant, String orderNumber, @Nullable String address, @Nullable String phone);
}
