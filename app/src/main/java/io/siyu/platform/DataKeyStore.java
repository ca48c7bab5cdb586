package io.siyu.platform;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link FieldCipher} keeps the wrapped data keys of personal fields, one per subject (a
 * field's blind index, e.g. {@code phone:1f3a…}). Deleting a subject's key crypto-shreds every
 * ciphertext sealed under it. The privacy capability keeps them in PostgreSQL; without a bean they
 * live in memory (tests, benchmarks).
 */
public interface DataKeyStore {

    /** A data key encrypted (AES-GCM) under version {@code kekVersion} of the tenant key. */
    record Wrapped(String subject, int kekVersion, byte[] wrapped) {}

    @Nullable Wrapped find(TenantId tenant, String subject);

    /** Stores the key unless the subject has one already; returns the one that is kept. */
    Wrapped putIfAbsent(TenantId tenant, Wrapped key);

    /**
     * Stores each key unless its subject has one already; returns the keys that are kept, one per
     * subject. Stores that can should do it in one round trip (a batch of new people).
     */
    default List<Wrapped> putAllIfAbsent(TenantId tenant, List<Wrapped> keys) {
        List<Wrapped> kept = new java.util.ArrayList<>(keys.size());
        for (Wrapped key : keys) {
            kept.add(putIfAbsent(tenant, key));
        }
        return kept;
    }

    /** @return whether a key was deleted */
    boolean delete(TenantId tenant, String subject);

    /** The tenant key version new data keys are wrapped with (1 before any rotation). */
    int kekVersion(TenantId tenant);

    /** Every data key of the tenant, for re-wrapping. */
    List<Wrapped> all(TenantId tenant);

    /** Replaces every data key with its re-wrapped copy and makes {@code version} current, atomically. */
    void rewrap(TenantId tenant, int version, List<Wrapped> rewrapped);
}
