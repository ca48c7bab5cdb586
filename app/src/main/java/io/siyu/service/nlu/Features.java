package io.siyu.service.nlu;

import java.util.List;

/**
 * Turns a normalised message into hashed feature ids: character 1-, 2- and 3-grams with start and
 * end markers (so "在吗" alone differs from "在吗" inside a sentence), English words, the entity
 * types present and a length bucket. Whitespace runs count as one space. Hashing is FNV-1a with a
 * different seed per feature family, so the same string in two families never collides by design.
 *
 * <p>Changing anything here changes what a trained model means: bump {@link #VERSION} and retrain.
 */
final class Features {

    static final int VERSION = 1;
    static final int MAX_FEATURES = 1024;
    private static final int MAX_CHARS = 300;

    private static final char START = '\u0002';
    private static final char END = '\u0003';

    private Features() {}

    /** Fills {@code out} with feature hashes and returns how many; a message longer than 300 chars is read up to there. */
    static int extract(String normalised, List<Entity> entities, Sentiment sentiment, int[] out) {
        char[] chars = new char[Math.min(normalised.length(), MAX_CHARS) + 2];
        int n = 0;
        chars[n++] = START;
        boolean space = true;
        for (int i = 0; i < normalised.length() && n < chars.length - 1; i++) {
            char c = normalised.charAt(i);
            boolean blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
            if (blank) {
                if (!space) {
                    chars[n++] = ' ';
                }
                space = true;
            } else {
                chars[n++] = c;
                space = false;
            }
        }
        if (n > 1 && chars[n - 1] == ' ') {
            n--;
        }
        chars[n++] = END;
        int count = 0;
        for (int i = 0; i < n && count < out.length - 3; i++) {
            int h1 = mix(0x811C9DC5, chars[i]);
            if (chars[i] != START && chars[i] != END) {
                out[count++] = h1;
            }
            if (i + 1 < n) {
                int h2 = mix(mix(0x01000193, chars[i]), chars[i + 1]);
                out[count++] = h2;
                if (i + 2 < n) {
                    out[count++] = mix(mix(mix(0x050C5D1F, chars[i]), chars[i + 1]), chars[i + 2]);
                }
            }
        }
        int wordStart = -1;
        for (int i = 0; i <= n && count < out.length - 8; i++) {
            boolean letter = i < n && chars[i] >= 'a' && chars[i] <= 'z';
            if (letter && wordStart < 0) {
                wordStart = i;
            } else if (!letter && wordStart >= 0) {
                int h = 0x2E3A7B19;
                for (int k = wordStart; k < i; k++) {
                    h = mix(h, chars[k]);
                }
                out[count++] = h;
                wordStart = -1;
            }
        }
        for (Entity entity : entities) {
            // catalogue entities depend on the tenant's catalogue, so they never shape the intent
            if (count < out.length - 1 && !entity.type().equals(Entity.PRODUCT) && !entity.type().equals(Entity.CATEGORY)) {
                out[count++] = family(0x6B43A9B5, entity.type());
            }
        }
        if (!sentiment.label().equals(Sentiment.NEUTRAL)) {
            out[count++] = family(0x1B873593, sentiment.label());
        }
        int length = n - 2;
        out[count++] = mix(0x3C6EF372, length <= 2 ? 'a' : length <= 4 ? 'b' : length <= 8 ? 'c' : length <= 16 ? 'd' : 'e');
        return count;
    }

    private static int family(int seed, String s) {
        int h = seed;
        for (int i = 0; i < s.length(); i++) {
            h = mix(h, s.charAt(i));
        }
        return h;
    }

    private static int mix(int h, char c) {
        return (h ^ c) * 0x01000193;
    }
}
