package io.siyu.benchmarks;

import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Personal-field encryption as ingestion and the data-subject export use it: AES-256-GCM under a
 * per-subject data key (envelope encryption, keys unwrapped and cached), for 10,000 different
 * phones; the blind index; and, as the peer baseline, the common way of doing the same AES-GCM
 * with a {@code Cipher.getInstance} and a new key object per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FieldCipherBenchmark {

    private static final TenantId TENANT = new TenantId(1);
    private static final int SUBJECTS = 10_000;

    private FieldCipher cipher;
    private String[] phones;
    private String[] subjects;
    private byte[][] sealed;
    private byte[] baselineKey;
    private final SecureRandom random = new SecureRandom();
    private int cursor;

    @Setup
    public void setUp() {
        cipher = new FieldCipher(new byte[32]);
        phones = new String[SUBJECTS];
        subjects = new String[SUBJECTS];
        sealed = new byte[SUBJECTS][];
        for (int i = 0; i < SUBJECTS; i++) {
            phones[i] = "+86138" + String.format("%08d", i * 7919 % 100_000_000);
            subjects[i] = "phone:" + cipher.blindIndex(TENANT, "phone", phones[i]);
            sealed[i] = cipher.sealPersonal(TENANT, subjects[i], phones[i]);
        }
        baselineKey = new byte[32];
        random.nextBytes(baselineKey);
    }

    private int next() {
        cursor = (cursor + 1) % SUBJECTS;
        return cursor;
    }

    @Benchmark
    public byte[] seal() {
        int i = next();
        return cipher.sealPersonal(TENANT, subjects[i], phones[i]);
    }

    @Benchmark
    public String open() {
        return cipher.open(TENANT, sealed[next()]);
    }

    @Benchmark
    public String blindIndex() {
        return cipher.blindIndex(TENANT, "phone", phones[next()]);
    }

    /** Peer baseline: AES-256-GCM with a Cipher looked up and a key built on every call. */
    @Benchmark
    public byte[] naiveSeal() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(baselineKey, "AES"), new GCMParameterSpec(128, nonce));
        return c.doFinal(phones[next()].getBytes(StandardCharsets.UTF_8));
    }
}
