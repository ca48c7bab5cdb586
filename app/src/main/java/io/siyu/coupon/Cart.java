package io.siyu.coupon;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A cart to price: lines, shipping, the member discount and the store's free-shipping threshold.
 *
 * @param memberPercent the member price as percent of list price, e.g. 95 for 95折; 100 for none
 * @param freeShippingOverFen the store ships free from this subtotal (after discounts); 0 for never
 */
public record Cart(List<Line> lines, long shippingFen, int memberPercent, long freeShippingOverFen) {

    /** One product line; {@code unitPriceFen} is the list price. */
    public record Line(String productId, @Nullable String category, long unitPriceFen, int quantity) {
        long totalFen() {
            return Math.multiplyExact(unitPriceFen, (long) quantity);
        }
    }

    public Cart {
        lines = List.copyOf(lines);
    }

    long subtotalFen() {
        long sum = 0;
        for (Line line : lines) {
            sum = Math.addExact(sum, line.totalFen());
        }
        return sum;
    }

    /** Member price of an amount, rounded half up to the fen. */
    long memberPrice(long fen) {
        return (Math.multiplyExact(fen, (long) memberPercent) + 50) / 100;
    }
}
