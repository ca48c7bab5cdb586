package io.siyu.segment.condition;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The statistics Siyu computes for every person from their events. Names are reserved: a trait
 * with the same name must be written {@code trait("order_count")}.
 */
public enum Stat {
    ORDER_COUNT(false),
    /** All-time order amount in yuan. */
    TOTAL_SPEND(false),
    /** Average order amount in yuan, 0 without orders. */
    AVG_ORDER_VALUE(false),
    EVENT_COUNT(false),
    REFUND_COUNT(false),
    LAST_SEEN(true),
    FIRST_SEEN(true),
    LAST_ORDER(true),
    /** Same time as {@link #LAST_SEEN}; kept as its own name because operators write it so. */
    LAST_INTERACTION(true);

    private final boolean time;

    Stat(boolean time) {
        this.time = time;
    }

    /** True for a point in time (epoch ms, absent before it happened); false for a number. */
    public boolean isTime() {
        return time;
    }

    /** The stat a {@link PersonFacts} is asked for: {@code last_interaction} reads {@code last_seen}. */
    public Stat source() {
        return this == LAST_INTERACTION ? LAST_SEEN : this;
    }

    /** The name as written in conditions, e.g. {@code avg_order_value}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stat named {@code name} (any case), or null. */
    public static @Nullable Stat fromKey(String name) {
        for (Stat stat : values()) {
            if (stat.key().equalsIgnoreCase(name)) {
                return stat;
            }
        }
        return null;
    }
}
