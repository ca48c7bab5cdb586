package io.siyu.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Protects personal fields: a keyed blind index (HMAC-SHA256) to look a value up without storing
 * it, and AES-256-GCM to keep the value itself. Per-tenant keys are derived from the installation
 * master key ({@code SIYU_MASTER_KEY}, base64 of 32 bytes, or generated once into
 * {@code <data>/master.key}), so one tenant's index never matches another's.
 *
 * <p>Two kinds of ciphertext, told apart by their first byte:
 * <ul>
 *   <li>version 1, {@link #seal(TenantId, String)}: under the tenant's derived key, for the
 *       tenant's own secrets (a WeCom app secret);</li>
 *   <li>version 2, {@link #sealPersonal}: envelope encryption for a person's data. Each subject
 *       (a field's blind index, e.g. {@code phone:<index>}) has its own random data key, kept in
 *       the {@link DataKeyStore} wrapped by the tenant key of the current version. The subject
 *       travels in the ciphertext, so erasing a person deletes the data keys of its subjects and
 *       every copy of the value, in the event log, snapshots and backups alike, becomes
 *       unreadable (crypto-shredding). {@link #rotate} re-wraps the data keys under a new tenant
 *       key version without touching the ciphertexts.</li>
 * </ul>
 */
@Component
public class FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte TENANT_KEY = 1;
    private static final byte DATA_KEY = 2;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    /** The data key of a sealed value was deleted: the person was erased. */
    public static final class Shredded extends IllegalArgumentException {
        Shredded(String subject) {
            super("the data key of " + subject + " was deleted (erased)");
        }
    }

    private final byte[] master;
    private final DataKeyStore store;
    private final ConcurrentHashMap<Integer, byte[][]> tenantKeys = new ConcurrentHashMap<>();
    /**
     * Unwrapped data keys by tenant and subject, bounded: one per person with sealed fields would
     * otherwise stay on the heap for good (≈ 300 bytes each: 3 GB for 10 million people). A key
     * that was evicted is unwrapped again from the store on its next use.
     */
    private final Cache<SubjectKey, SecretKeySpec> dataKeys;

    private record SubjectKey(int tenant, String subject) {}

    /** How many unwrapped data keys are held now (after pending evictions). */
    long cachedDataKeys() {
        dataKeys.cleanUp();
        return dataKeys.estimatedSize();
    }
    /** An HMAC keyed for the tenant it last indexed for: keying costs as much as hashing a phone. */
    private static final class IndexMac {
        final Mac mac;
        int tenant;

        IndexMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An AES-GCM cipher with its own nonce source; held by one thread at a time. */
    private static final class Sealer {
        final Cipher cipher;
        final NonceSource nonces = new NonceSource();

        Sealer() {
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /*
     * Pools rather than thread-locals: request threads are virtual, one per request, so a
     * thread-local cipher was a Cipher.getInstance (and a SecureRandom draw for its nonces) per
     * request. A pooled instance is only ever used by the thread that took it.
     */
    private final Pool<IndexMac> macs = new Pool<>(IndexMac::new);
    private final Pool<Sealer> sealers = new Pool<>(Sealer::new);
    /** While a batch defers key creation on this thread: the subjects it is missing. */
    private final ThreadLocal<Deferral> deferrals = new ThreadLocal<>();
    @Autowired
    FieldCipher(SiyuProperties properties, @Value("${SIYU_MASTER_KEY:}") String masterKey,
            ObjectProvider<DataKeyStore> store) {
        this(masterKey.isBlank() ? loadOrCreate(properties.dataDir().resolve("master.key"))
                : Base64.getDecoder().decode(masterKey.trim()), store.getIfAvailable(InMemoryDataKeys::new));
    }

    /**
     * With data keys kept in memory (tests, benchmarks).
     *
     * @param master the 32-byte installation master key
     * @throws IllegalStateException when the key is not 32 bytes
     */
    public FieldCipher(byte[] master) {
        this(master, new InMemoryDataKeys());
    }

    /** @throws IllegalStateException when the key is not 32 bytes */
    public FieldCipher(byte[] master, DataKeyStore store) {
        this(master, store, Long.getLong("siyu.privacy.data-key-cache", 500_000));
    }

    /**
     * @param cachedDataKeys how many unwrapped data keys to keep in memory at most
     * @throws IllegalStateException when the key is not 32 bytes
     */
    public FieldCipher(byte[] master, DataKeyStore store, long cachedDataKeys) {
        this.dataKeys = Caffeine.newBuilder().maximumSize(cachedDataKeys).build();
        if (master.length != 32) {
            throw new IllegalStateException("SIYU_MASTER_KEY must be base64 of exactly 32 bytes");
        }
        this.master = master.clone();
        this.store = store;
    }

    /** A stable, tenant-scoped hex digest of a normalised value, for lookups. */
    public String blindIndex(TenantId tenant, String field, String value) {
        IndexMac indexMac = macs.take();
        try {
            Mac mac = indexMac.mac;
            if (indexMac.tenant != tenant.value()) {
                try {
                    mac.init(new SecretKeySpec(keys(tenant)[0], "HmacSHA256"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                indexMac.tenant = tenant.value();
            }
            mac.update(field.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (RuntimeException e) {
            indexMac.tenant = 0; // its state is unknown: re-key it before the next use
            throw e;
        } finally {
            macs.give(indexMac);
        }
    }

    /** Encrypts a tenant secret with AES-256-GCM: version byte 1, 12-byte nonce, ciphertext and tag. */
    public byte[] seal(TenantId tenant, String plaintext) {
        Sealer sealer = sealers.take();
        try {
            byte[] nonce = sealer.nonces.next();
            Cipher cipher = sealer.cipher;
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys(tenant)[1], "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenantBytes(tenant));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(TENANT_KEY).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            sealers.give(sealer);
        }
    }

    /**
     * Encrypts a person's field under the data key of {@code subject} (made on first use): version
     * byte 2, subject length and UTF-8 bytes, 12-byte nonce, ciphertext and tag.
     *
     * <p>Inside {@link #deferKeyCreation} a subject without a known key is only noted, and the
     * result is a placeholder that the caller must discard (see {@link Deferral}).
     *
     * @param subject what erasure deletes, e.g. {@code phone:<blind index>}; at most 200 bytes
     */
    public byte[] sealPersonal(TenantId tenant, String subject, String plaintext) {
        byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
        if (subjectBytes.length == 0 || subjectBytes.length > 200) {
            throw new IllegalArgumentException("a subject is 1–200 bytes");
        }
        SecretKeySpec key = dataKeys.getIfPresent(new SubjectKey(tenant.value(), subject));
        if (key == null) {
            Deferral deferral = deferrals.get();
            if (deferral != null && deferral.tenant.equals(tenant)) {
                deferral.missing.add(subject);
                deferral.placeholders++;
                key = PLACEHOLDER_KEY;
            } else {
                key = dataKey(tenant, subject, true);
            }
        }
        Sealer sealer = sealers.take();
        try {
            byte[] nonce = sealer.nonces.next();
            Cipher cipher = sealer.cipher;
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenantBytes(tenant));
            cipher.updateAAD(subjectBytes);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + subjectBytes.length + NONCE + sealed.length)
                    .put(DATA_KEY).put((byte) subjectBytes.length).put(subjectBytes).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            sealers.give(sealer);
        }
    }

    /** Seals nothing anyone can open: what a deferred seal produces until its key exists. */
    private static final SecretKeySpec PLACEHOLDER_KEY = new SecretKeySpec(new byte[32], "AES");

    /**
     * A batch's deferral of data-key creation. Between {@link #deferKeyCreation} and {@link #close},
     * {@link #sealPersonal} on this thread notes subjects of the tenant that have no key yet instead
     * of creating each key with its own database round trips, and returns a placeholder. The
     * caller checks {@link #missed()} around each item, closes the deferral, calls
     * {@link #createKeys()} (one round trip for the whole batch) and seals the items that missed
     * again; their placeholders must never be kept.
     */
    public final class Deferral implements AutoCloseable {
        private final TenantId tenant;
        private final java.util.LinkedHashSet<String> missing = new java.util.LinkedHashSet<>();
        private final @Nullable Deferral outer;
        private int placeholders;

        private Deferral(TenantId tenant, @Nullable Deferral outer) {
            this.tenant = tenant;
            this.outer = outer;
        }

        /** How many placeholders have been sealed so far; compare before and after an item. */
        public int missed() {
            return placeholders;
        }

        /** Stops deferring on this thread. */
        @Override
        public void close() {
            if (deferrals.get() == this) {
                if (outer == null) {
                    deferrals.remove();
                } else {
                    deferrals.set(outer);
                }
            }
        }

        /** Creates (or finds) the data keys of every subject that missed, in one store call, and caches them. */
        public void createKeys() {
            close();
            if (missing.isEmpty()) {
                return;
            }
            int version = store.kekVersion(tenant);
            List<DataKeyStore.Wrapped> fresh = new ArrayList<>(missing.size());
            for (String subject : missing) {
                if (dataKeys.getIfPresent(new SubjectKey(tenant.value(), subject)) == null) {
                    byte[] key = new byte[32];
                    RANDOM.nextBytes(key);
                    fresh.add(wrap(tenant, subject, version, key));
                }
            }
            for (DataKeyStore.Wrapped kept : store.putAllIfAbsent(tenant, fresh)) {
                dataKeys.put(new SubjectKey(tenant.value(), kept.subject()), new SecretKeySpec(unwrap(tenant, kept), "AES"));
            }
            missing.clear();
        }
    }

    /**
     * Starts a {@link Deferral} of data-key creation for {@code tenant} on this thread; close it
     * (try-with-resources) on every path.
     */
    public Deferral deferKeyCreation(TenantId tenant) {
        Deferral deferral = new Deferral(tenant, deferrals.get());
        deferrals.set(deferral);
        return deferral;
    }

    /**
     * @throws Shredded when the value's data key was deleted
     * @throws IllegalArgumentException when the ciphertext was altered or is another tenant's
     */
    public String open(TenantId tenant, byte[] sealed) {
        Sealer sealer = sealers.take();
        try {
            if (sealed.length >= 1 + NONCE + 16 && sealed[0] == TENANT_KEY) {
                Cipher cipher = sealer.cipher;
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys(tenant)[1], "AES"),
                        new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
                cipher.updateAAD(tenantBytes(tenant));
                return new String(cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE), StandardCharsets.UTF_8);
            }
            if (sealed.length >= 2 && sealed[0] == DATA_KEY) {
                int subjectLength = sealed[1] & 0xff;
                int body = 2 + subjectLength + NONCE;
                if (subjectLength > 0 && sealed.length >= body + 16) {
                    String subject = new String(sealed, 2, subjectLength, StandardCharsets.UTF_8);
                    Cipher cipher = sealer.cipher;
                    cipher.init(Cipher.DECRYPT_MODE, dataKey(tenant, subject, false),
                            new GCMParameterSpec(TAG_BITS, sealed, 2 + subjectLength, NONCE));
                    cipher.updateAAD(tenantBytes(tenant));
                    cipher.updateAAD(sealed, 2, subjectLength);
                    return new String(cipher.doFinal(sealed, body, sealed.length - body), StandardCharsets.UTF_8);
                }
            }
            throw new IllegalArgumentException("not a sealed value");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed value failed authentication", e);
        } finally {
            sealers.give(sealer);
        }
    }

    /** How a sealed personal value starts when it is kept as text (a trait): {@code sealed:<base64url>}. */
    public static final String SEALED_TEXT = "sealed:";

    /**
     * {@link #sealPersonal} as text, for values kept where only strings fit (profile traits): the
     * ciphertext travels with the profile into the log, memory and snapshots, and only
     * {@link #openText} shows the value.
     */
    public String sealText(TenantId tenant, String subject, String plaintext) {
        return sealText(tenant, subject, plaintext, null);
    }

    /**
     * As {@link #sealText(TenantId, String, String)}, carrying {@code mask} (e.g. {@code z***@example.com})
     * in clear after the ciphertext: {@code sealed:<base64url>:<mask>}, so a reader who may only see
     * the mask needs no decryption. The mask must reveal nothing a masked read would not.
     */
    public String sealText(TenantId tenant, String subject, String plaintext, @Nullable String mask) {
        String sealed = SEALED_TEXT + Base64.getUrlEncoder().withoutPadding().encodeToString(sealPersonal(tenant, subject, plaintext));
        return mask == null ? sealed : sealed + ':' + mask;
    }

    /** The mask a sealed text carries, or null when it carries none (or is not a sealed text). */
    public static @Nullable String maskOfText(String sealedText) {
        if (!sealedText.startsWith(SEALED_TEXT)) {
            return null;
        }
        int colon = sealedText.indexOf(':', SEALED_TEXT.length());
        return colon < 0 ? null : sealedText.substring(colon + 1);
    }

    /** Whether {@code value} is a {@link #sealText sealed text}. */
    public static boolean isSealedText(@Nullable Object value) {
        return value instanceof String s && s.startsWith(SEALED_TEXT);
    }

    /**
     * @throws Shredded when the value's data key was deleted (the person was erased)
     * @throws IllegalArgumentException when the text is not a sealed text of this tenant
     */
    public String openText(TenantId tenant, String sealedText) {
        return open(tenant, textBytes(sealedText));
    }

    /** The subject of a sealed text, or null when the text is not one. */
    public static @Nullable String subjectOfText(String sealedText) {
        try {
            return sealedText.startsWith(SEALED_TEXT) ? subjectOf(textBytes(sealedText)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] textBytes(String sealedText) {
        if (!sealedText.startsWith(SEALED_TEXT)) {
            throw new IllegalArgumentException("not a sealed value");
        }
        int colon = sealedText.indexOf(':', SEALED_TEXT.length());
        return Base64.getUrlDecoder().decode(sealedText.substring(SEALED_TEXT.length(), colon < 0 ? sealedText.length() : colon));
    }

    /** The subject a personal ciphertext was sealed under, or null for a tenant secret or garbage. */
    public static @Nullable String subjectOf(byte[] sealed) {
        if (sealed.length < 2 || sealed[0] != DATA_KEY || sealed.length < 2 + (sealed[1] & 0xff)) {
            return null;
        }
        return new String(sealed, 2, sealed[1] & 0xff, StandardCharsets.UTF_8);
    }

    /**
     * Deletes a subject's data key: every value sealed under it becomes unreadable, everywhere.
     *
     * @return whether there was a key
     */
    public boolean shred(TenantId tenant, String subject) {
        SubjectKey cached = new SubjectKey(tenant.value(), subject);
        dataKeys.invalidate(cached);
        boolean deleted = store.delete(tenant, subject);
        dataKeys.invalidate(cached); // a seal racing the deletion may have cached it again
        return deleted;
    }

    /**
     * Moves the tenant to the next tenant-key version and re-wraps every data key under it;
     * ciphertexts stay as they are.
     *
     * @return the new version and how many data keys were re-wrapped
     */
    public synchronized Rotation rotate(TenantId tenant) {
        int from = store.kekVersion(tenant);
        int to = from + 1;
        List<DataKeyStore.Wrapped> rewrapped = new ArrayList<>();
        for (DataKeyStore.Wrapped key : store.all(tenant)) {
            byte[] plain = unwrap(tenant, key);
            rewrapped.add(wrap(tenant, key.subject(), to, plain));
        }
        store.rewrap(tenant, to, rewrapped);
        return new Rotation(tenant, from, to, rewrapped.size());
    }

    /** The outcome of {@link #rotate}. */
    public record Rotation(TenantId tenant, int fromVersion, int toVersion, int rewrapped) {}

    /**
     * A key for another purpose (token signing), derived from the master key and the label so it
     * changes with neither the tenant keys nor the data keys.
     */
    public byte[] derivedKey(String label) {
        return derive("purpose:" + label);
    }

    private SecretKeySpec dataKey(TenantId tenant, String subject, boolean create) {
        SubjectKey cached = new SubjectKey(tenant.value(), subject);
        SecretKeySpec key = dataKeys.getIfPresent(cached);
        if (key != null) {
            return key;
        }
        DataKeyStore.Wrapped wrapped = store.find(tenant, subject);
        if (wrapped == null) {
            if (!create) {
                throw new Shredded(subject);
            }
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            wrapped = store.putIfAbsent(tenant, wrap(tenant, subject, store.kekVersion(tenant), fresh));
        }
        key = new SecretKeySpec(unwrap(tenant, wrapped), "AES");
        dataKeys.put(cached, key);
        return key;
    }

    private DataKeyStore.Wrapped wrap(TenantId tenant, String subject, int version, byte[] dataKey) {
        Sealer sealer = sealers.take();
        try {
            byte[] nonce = sealer.nonces.next();
            Cipher cipher = sealer.cipher;
            cipher.init(Cipher.ENCRYPT_MODE, kek(tenant, version), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(tenantBytes(tenant));
            cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(dataKey);
            return new DataKeyStore.Wrapped(subject, version,
                    ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        } finally {
            sealers.give(sealer);
        }
    }

    private byte[] unwrap(TenantId tenant, DataKeyStore.Wrapped key) {
        Sealer sealer = sealers.take();
        try {
            Cipher cipher = sealer.cipher;
            cipher.init(Cipher.DECRYPT_MODE, kek(tenant, key.kekVersion()), new GCMParameterSpec(TAG_BITS, key.wrapped(), 0, NONCE));
            cipher.updateAAD(tenantBytes(tenant));
            cipher.updateAAD(key.subject().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(key.wrapped(), NONCE, key.wrapped().length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the data key of " + key.subject() + " does not unwrap under tenant key version "
                    + key.kekVersion(), e);
        } finally {
            sealers.give(sealer);
        }
    }

    private SecretKeySpec kek(TenantId tenant, int version) {
        return new SecretKeySpec(derive("kek:" + tenant.value() + ":" + version), "AES");
    }

    private static String cacheKey(TenantId tenant, String subject) {
        return tenant.value() + "|" + subject;
    }

    private static byte[] tenantBytes(TenantId tenant) {
        return ByteBuffer.allocate(4).putInt(tenant.value()).array();
    }

    /**
     * Unique 96-bit GCM nonces: a random 64-bit prefix drawn once per source (and again every 2^32
     * nonces) followed by the source's 32-bit counter, the construction of NIST SP 800-38D §8.2.1.
     * Each source belongs to one pooled {@link Sealer}, used by one thread at a time. Drawing 12
     * bytes from SecureRandom on every call (a locked read of /dev/urandom) cost a third of a seal.
     */
    private static final class NonceSource {
        private long prefix = RANDOM.nextLong();
        private int counter;

        byte[] next() {
            if (++counter == 0) {
                prefix = RANDOM.nextLong();
            }
            return ByteBuffer.allocate(NONCE).putLong(prefix).putInt(counter).array();
        }
    }

    /**
     * A small lock-free pool: {@link #take} an instance (a new one when none is idle), use it on
     * this thread only, {@link #give} it back. At most {@code CAPACITY} idle instances are kept.
     */
    static final class Pool<T> {
        private static final int CAPACITY = 64;
        private final java.util.concurrent.ConcurrentLinkedQueue<T> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.function.Supplier<T> factory;

        Pool(java.util.function.Supplier<T> factory) {
            this.factory = factory;
        }

        T take() {
            T item = idle.poll();
            if (item == null) {
                return factory.get();
            }
            size.decrementAndGet();
            return item;
        }

        void give(T item) {
            if (size.incrementAndGet() <= CAPACITY) {
                idle.offer(item);
            } else {
                size.decrementAndGet();
            }
        }

        int idle() {
            return size.get();
        }
    }

    private byte[][] keys(TenantId tenant) {
        return tenantKeys.computeIfAbsent(tenant.value(), t -> new byte[][] {derive("index:" + t), derive("seal:" + t)});
    }

    private byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: rely on the directory's permissions
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }

    /** Data keys in memory, for tests and benchmarks that run without a database. */
    private static final class InMemoryDataKeys implements DataKeyStore {
        private final ConcurrentHashMap<String, Wrapped> keys = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<Integer, Integer> versions = new ConcurrentHashMap<>();

        @Override
        public @Nullable Wrapped find(TenantId tenant, String subject) {
            return keys.get(cacheKey(tenant, subject));
        }

        @Override
        public Wrapped putIfAbsent(TenantId tenant, Wrapped key) {
            Wrapped existing = keys.putIfAbsent(cacheKey(tenant, key.subject()), key);
            return existing == null ? key : existing;
        }

        @Override
        public boolean delete(TenantId tenant, String subject) {
            return keys.remove(cacheKey(tenant, subject)) != null;
        }

        @Override
        public int kekVersion(TenantId tenant) {
            return versions.getOrDefault(tenant.value(), 1);
        }

        @Override
        public List<Wrapped> all(TenantId tenant) {
            String prefix = tenant.value() + "|";
            return keys.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(java.util.Map.Entry::getValue).toList();
        }

        @Override
        public synchronized void rewrap(TenantId tenant, int version, List<Wrapped> rewrapped) {
            rewrapped.forEach(key -> keys.put(cacheKey(tenant, key.subject()), key));
            versions.put(tenant.value(), version);
        }
    }
}
