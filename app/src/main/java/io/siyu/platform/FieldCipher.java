package io.siyu.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Protects personal fields: a keyed blind index (HMAC-SHA256) to look a value up without storing
 * it, and AES-256-GCM to keep the value itself. Per-tenant keys are derived from the installation
 * master key ({@code SIYU_MASTER_KEY}, base64 of 32 bytes, or generated once into
 * {@code <data>/master.key}), so one tenant's index never matches another's.
 */
@Component
public class FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte KEY_VERSION = 1;

    private final byte[] master;
    private final ConcurrentHashMap<Integer, byte[][]> tenantKeys = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    @org.springframework.beans.factory.annotation.Autowired
    FieldCipher(SiyuProperties properties, @Value("${SIYU_MASTER_KEY:}") String masterKey) {
        this(masterKey.isBlank() ? loadOrCreate(properties.dataDir().resolve("master.key"))
                : Base64.getDecoder().decode(masterKey.trim()));
    }

    /**
     * @param master the 32-byte installation master key
     * @throws IllegalStateException when the key is not 32 bytes
     */
    public FieldCipher(byte[] master) {
        if (master.length != 32) {
            throw new IllegalStateException("SIYU_MASTER_KEY must be base64 of exactly 32 bytes");
        }
        this.master = master.clone();
    }

    /** A stable, tenant-scoped hex digest of a normalised value, for lookups. */
    public String blindIndex(TenantId tenant, String field, String value) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(keys(tenant)[0], "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        mac.update(field.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** Encrypts with AES-256-GCM: version byte, 12-byte nonce, ciphertext and tag. */
    public byte[] seal(TenantId tenant, String plaintext) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys(tenant)[1], "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(ByteBuffer.allocate(4).putInt(tenant.value()).array());
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + 12 + sealed.length).put(KEY_VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws IllegalArgumentException when the ciphertext was altered or is another tenant's */
    public String open(TenantId tenant, byte[] sealed) {
        try {
            if (sealed.length < 1 + 12 + 16 || sealed[0] != KEY_VERSION) {
                throw new IllegalArgumentException("not a sealed value of key version " + KEY_VERSION);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys(tenant)[1], "AES"),
                    new GCMParameterSpec(128, sealed, 1, 12));
            cipher.updateAAD(ByteBuffer.allocate(4).putInt(tenant.value()).array());
            return new String(cipher.doFinal(sealed, 13, sealed.length - 13), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed value failed authentication", e);
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
}
