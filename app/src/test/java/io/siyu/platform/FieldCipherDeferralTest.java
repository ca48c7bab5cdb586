package io.siyu.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FieldCipherDeferralTest {

    private static final TenantId TENANT = new TenantId(7);
    private static final byte[] MASTER = new byte[32];

    /** Keys in memory, counting calls the way a database would count round trips. */
    static final class CountingKeys implements DataKeyStore {
        final ConcurrentHashMap<String, Wrapped> keys = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger batchPuts = new AtomicInteger();

        @Override
        public @Nullable Wrapped find(TenantId tenant, String subject) {
            finds.incrementAndGet();
            return keys.get(subject);
        }

        @Override
        public Wrapped putIfAbsent(TenantId tenant, Wrapped key) {
            puts.incrementAndGet();
            Wrapped existing = keys.putIfAbsent(key.subject(), key);
            return existing == null ? key : existing;
        }

        @Override
        public List<Wrapped> putAllIfAbsent(TenantId tenant, List<Wrapped> batch) {
            batchPuts.incrementAndGet();
            List<Wrapped> kept = new ArrayList<>();
            for (Wrapped key : batch) {
                Wrapped existing = keys.putIfAbsent(key.subject(), key);
                kept.add(existing == null ? key : existing);
            }
            return kept;
        }

        @Override
        public boolean delete(TenantId tenant, String subject) {
            return keys.remove(subject) != null;
        }

        @Override
        public int kekVersion(TenantId tenant) {
            return 1;
        }

        @Override
        public List<Wrapped> all(TenantId tenant) {
            return List.copyOf(keys.values());
        }

        @Override
        public void rewrap(TenantId tenant, int version, List<Wrapped> rewrapped) {
            rewrapped.forEach(k -> keys.put(k.subject(), k));
        }
    }

    @Test
    void deferredSealsAreNotedAndTheirKeysMadeInOneStoreCall() {
        CountingKeys store = new CountingKeys();
        FieldCipher cipher = new FieldCipher(MASTER, store);
        byte[] known = cipher.sealPersonal(TENANT, "phone:known", "+8613800000000");
        int putsBefore = store.puts.get();

        byte[] placeholderA;
        try (FieldCipher.Deferral deferral = cipher.deferKeyCreation(TENANT)) {
            assertThat(cipher.open(TENANT, cipher.sealPersonal(TENANT, "phone:known", "+8613800000000")))
                    .as("a known key is used at once").isEqualTo("+8613800000000");
            assertThat(deferral.missed()).isZero();
            placeholderA = cipher.sealPersonal(TENANT, "phone:a", "+8613800000001");
            cipher.sealPersonal(TENANT, "phone:b", "+8613800000002");
            cipher.sealPersonal(TENANT, "phone:a", "+8613800000001");
            assertThat(deferral.missed()).as("every placeholder counts, repeats too").isEqualTo(3);
            assertThat(cipher.sealPersonal(new TenantId(8), "phone:other-tenant", "x")).as("other tenants are not deferred")
                    .isNotNull();
            deferral.createKeys();
            assertThat(store.batchPuts.get()).isEqualTo(1);
            assertThat(store.keys).containsKeys("phone:a", "phone:b");
        }
        assertThat(store.puts.get() - putsBefore).as("only the other tenant's key went one by one").isEqualTo(1);
        assertThatThrownBy(() -> cipher.open(TENANT, placeholderA)).as("a placeholder opens under no real key")
                .isInstanceOf(IllegalArgumentException.class);
        int findsBefore = store.finds.get();
        byte[] a = cipher.sealPersonal(TENANT, "phone:a", "+8613800000001");
        assertThat(store.finds.get()).as("the created key is cached").isEqualTo(findsBefore);
        FieldCipher fresh = new FieldCipher(MASTER, store);
        assertThat(fresh.open(TENANT, a)).isEqualTo("+8613800000001");
        assertThat(fresh.open(TENANT, known)).isEqualTo("+8613800000000");

        // outside a deferral (closed above) a new subject is made at once, as before
        byte[] c = cipher.sealPersonal(TENANT, "phone:c", "+8613800000003");
        assertThat(fresh.open(TENANT, c)).isEqualTo("+8613800000003");
    }

    @Test
    void aKeyMadeElsewhereMeanwhileIsTheOneKept() {
        CountingKeys store = new CountingKeys();
        FieldCipher mine = new FieldCipher(MASTER, store);
        FieldCipher theirs = new FieldCipher(MASTER, store);
        try (FieldCipher.Deferral deferral = mine.deferKeyCreation(TENANT)) {
            mine.sealPersonal(TENANT, "email:x", "x@example.com");
            byte[] sealedByThem = theirs.sealPersonal(TENANT, "email:x", "x@example.com");
            deferral.createKeys();
            assertThat(mine.open(TENANT, sealedByThem)).isEqualTo("x@example.com");
        }
        assertThat(theirs.open(TENANT, mine.sealPersonal(TENANT, "email:x", "x@example.com"))).isEqualTo("x@example.com");
    }

    @Test
    void pooledCiphersServeManyThreadsWithUniqueNonces() throws Exception {
        FieldCipher cipher = new FieldCipher(MASTER);
        cipher.sealPersonal(TENANT, "phone:p", "warm");
        ConcurrentHashMap<String, Boolean> nonces = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger wrong = new AtomicInteger();
        for (int t = 0; t < 16; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    String value = "+86138" + n + "_" + i;
                    byte[] sealed = cipher.sealPersonal(TENANT, "phone:p", value);
                    nonces.put(java.util.HexFormat.of().formatHex(sealed, 2 + "phone:p".length(), 2 + "phone:p".length() + 12), true);
                    if (!cipher.open(TENANT, sealed).equals(value)
                            || !cipher.blindIndex(TENANT, "phone", value).equals(cipher.blindIndex(TENANT, "phone", value))) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong.get()).isZero();
        assertThat(nonces).hasSize(16 * 500);
    }

    @Test
    void theDataKeyCacheIsBoundedAndAnEvictedKeyStillOpensAndStillShreds() {
        CountingKeys store = new CountingKeys();
        FieldCipher cipher = new FieldCipher(MASTER, store, 16);
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            sealed.add(cipher.sealPersonal(TENANT, "phone:" + i, "+86138" + i));
        }
        assertThat(cipher.cachedDataKeys()).isLessThanOrEqualTo(16);
        assertThat(store.keys).hasSize(1_000);

        int findsBefore = store.finds.get();
        for (int i = 0; i < 1_000; i++) {
            assertThat(cipher.open(TENANT, sealed.get(i))).isEqualTo("+86138" + i);
        }
        assertThat(store.finds.get() - findsBefore).as("evicted keys are unwrapped again from the store")
                .isGreaterThanOrEqualTo(1_000 - 16);
        assertThat(cipher.cachedDataKeys()).isLessThanOrEqualTo(16);

        byte[] again = cipher.sealPersonal(TENANT, "phone:3", "+861383");
        assertThat(cipher.open(TENANT, again)).as("re-sealed under the stored key, not a new one").isEqualTo("+861383");
        assertThat(store.keys).hasSize(1_000);
        assertThat(cipher.open(TENANT, sealed.get(3))).isEqualTo("+861383");

        assertThat(cipher.shred(TENANT, "phone:3")).isTrue();
        assertThatThrownBy(() -> cipher.open(TENANT, sealed.get(3))).isInstanceOf(FieldCipher.Shredded.class);
        assertThatThrownBy(() -> cipher.open(TENANT, again)).isInstanceOf(FieldCipher.Shredded.class);
        assertThat(cipher.open(TENANT, sealed.get(4))).isEqualTo("+861384");
    }
}
