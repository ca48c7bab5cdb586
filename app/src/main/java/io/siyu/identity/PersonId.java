package io.siyu.identity;

import java.util.UUID;

/**
 * The public id of a person: a version-8 UUID that encodes the tenant and the person's dense
 * index, scrambled so that neighbouring people do not get neighbouring ids. Being derived from the
 * index, it is the same after a replay of the log, and resolving it needs no lookup table.
 */
public record PersonId(UUID value) {

    private static final long VARIANT = 0x8000_0000_0000_0000L;
    private static final long MASK_62 = (1L << 62) - 1;
    private static final long MULTIPLIER = 0x2545_F491_4F6C_DD1DL & MASK_62 | 1L;
    private static final long INVERSE = inverse(MULTIPLIER);

    public static PersonId of(int tenant, int index) {
        long scrambled = ((index * MULTIPLIER) & MASK_62) ^ (salt(tenant) & MASK_62);
        return new PersonId(new UUID(msb(tenant), VARIANT | scrambled));
    }

    public static PersonId parse(String text) {
        return new PersonId(UUID.fromString(text));
    }

    /** The tenant this id was minted for. */
    public int tenant() {
        return (int) (value.getMostSignificantBits() >>> 32);
    }

    /**
     * The dense index within the tenant, or -1 when this UUID was not minted by {@link #of}.
     */
    public int index() {
        int tenant = tenant();
        long lsb = value.getLeastSignificantBits();
        if (tenant <= 0 || value.getMostSignificantBits() != msb(tenant) || (lsb & ~MASK_62) != VARIANT) {
            return -1;
        }
        long unscrambled = (((lsb & MASK_62) ^ (salt(tenant) & MASK_62)) * INVERSE) & MASK_62;
        return unscrambled > Integer.MAX_VALUE ? -1 : (int) unscrambled;
    }

    private static long msb(int tenant) {
        long salt = salt(tenant);
        return ((long) tenant << 32) | ((salt >>> 12 & 0xFFFFL) << 16) | 0x8000L | (salt & 0x0FFFL);
    }

    @Override
    public String toString() {
        return value.toString();
    }

    private static long salt(int tenant) {
        long z = tenant * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private static long inverse(long odd) {
        long x = odd; // Newton's iteration: each step doubles the number of correct low bits
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x & MASK_62;
    }
}
