package io.siyu.referral;

import io.siyu.identity.PersonId;
import java.security.SecureRandom;

/**
 * A person's code for one campaign: 10 characters from 32 without look-alikes (no 0/O, 1/I), so
 * 50 random bits: short enough to read out and to fit a WeCom contact-way state
 * ({@code ref:<code>}, WeCom allows 30 characters), too many to guess or to enumerate.
 */
record ShareCode(String code, String campaignId, PersonId sharer, String identifier) {

    static final int LENGTH = 10;
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static String generate() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** True when the text could be a code; anything else is not looked up. */
    static boolean isWellFormed(String text) {
        if (text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' && c != 'O' && c != 'I' || c >= '2' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** The contact-way state that attributes a WeCom contact add to this code. */
    String state() {
        return ReferralBook.STATE_PREFIX + code;
    }
}
