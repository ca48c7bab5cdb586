package io.siyu.privacy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key: {@code ratePerSecond} sustained, bursts up to twice that. Answers how long
 * to wait when a request does not fit, for {@code Retry-After}.
 */
final class RateLimiter {

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double capacity, long now) {
            this.tokens = capacity;
            this.lastNanos = now;
        }
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @return 0 when admitted, else the seconds to wait before the next request fits */
    long acquire(String key, int ratePerSecond, long nowNanos) {
        double capacity = 2.0 * ratePerSecond;
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, nowNanos));
        synchronized (bucket) {
            double elapsed = (nowNanos - bucket.lastNanos) / 1e9;
            bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * ratePerSecond);
            bucket.lastNanos = nowNanos;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / ratePerSecond));
        }
    }

    void forget(String key) {
        buckets.remove(key);
    }
}
