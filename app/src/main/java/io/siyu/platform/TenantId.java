package io.siyu.platform;

import com.fasterxml.jackson.annotation.JsonValue;

/** A brand on this installation. Every event, entity and query carries one. */
public record TenantId(@JsonValue int value) {

    public TenantId {
        if (value <= 0) {
            throw new IllegalArgumentException("tenant id must be positive, was " + value);
        }
    }

    @Override
    public String toString() {
        return "tenant-" + value;
    }
}
