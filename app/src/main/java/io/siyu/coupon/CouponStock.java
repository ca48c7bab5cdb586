package io.siyu.coupon;

import io.siyu.identity.PersonId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The stock of one template in memory: the next serial, serials given back by failed writes, and
 * how many coupons each person holds. One lock per template, held for a few field updates, is
 * what makes claims exact under any concurrency; the table's {@code UNIQUE (serial)} and
 * {@code CHECK (serial <= stock)} make it impossible to store more, whatever happens here.
 */
final class CouponStock {

    /** The answer to a reservation. */
    sealed interface Reservation {
        record Reserved(int serial) implements Reservation {}

        record SoldOut() implements Reservation {}

        record LimitReached(int held) implements Reservation {}
    }

    private final int total;
    private int nextSerial;
    private final ArrayDeque<Integer> returned = new ArrayDeque<>();
    private final Map<PersonId, Integer> held = new HashMap<>();

    /**
     * @param used serials already stored, with their holders
     */
    CouponStock(int total, Map<Integer, PersonId> used) {
        this.total = total;
        int max = 0;
        for (Map.Entry<Integer, PersonId> e : used.entrySet()) {
            max = Math.max(max, e.getKey());
            held.merge(e.getValue(), 1, Integer::sum);
        }
        for (int serial = 1; serial <= max; serial++) {
            if (!used.containsKey(serial)) {
                returned.add(serial);
            }
        }
        this.nextSerial = max + 1;
    }

    synchronized Reservation reserve(PersonId person, int perPersonLimit) {
        int has = held.getOrDefault(person, 0);
        if (has >= perPersonLimit) {
            return new Reservation.LimitReached(has);
        }
        Integer serial = returned.poll();
        if (serial == null) {
            if (nextSerial > total) {
                return new Reservation.SoldOut();
            }
            serial = nextSerial++;
        }
        held.put(person, has + 1);
        return new Reservation.Reserved(serial);
    }

    /** Gives a serial back after its write failed, so the stock is not lost. */
    synchronized void release(int serial, PersonId person) {
        returned.add(serial);
        held.computeIfPresent(person, (p, n) -> n <= 1 ? null : n - 1);
    }

    synchronized int remaining() {
        return total - (nextSerial - 1) + returned.size();
    }
}
