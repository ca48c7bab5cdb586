package io.siyu.profile;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What Siyu knows about one person: traits plus statistics kept current by every event. Owned by
 * the single writer of its partition; readers get a {@link ProfileView} built on that writer.
 *
 * <p>Money is kept in fen (1/100 yuan) so sums are exact.
 */
public final class Profile {

    private static final int[] EMPTY = {};

    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;
    private int eventCount;
    private int[] countsByEvent = EMPTY;
    private final DailyCounters daily;
    /** Per day: events by category, key (day, event, category), and money by event, key (day, event). */
    private @Nullable FacetCounters byCategory;
    private @Nullable DailySums money;
    private int orderCount;
    private long totalSpendFen;
    private long lastOrderAt = Long.MIN_VALUE;
    private int refundCount;
    private long refundedFen;
    /** Pairs of (category id, weight): a view weighs 1, a cart add 2, an order 5. */
    private int[] categories = EMPTY;
    private int originChannel = -1;
    private int originSource = -1;
    private final Traits traits;

    public Profile() {
        this(new DailyCounters(), new Traits());
    }

    private Profile(DailyCounters daily, Traits traits) {
        this.daily = daily;
        this.traits = traits;
    }

    /** Counts an event of a category on a day, for windowed counts filtered by category. */
    public void recordCategoryEvent(int epochDay, int eventId, int categoryId) {
        if (byCategory == null) {
            byCategory = new FacetCounters();
        }
        byCategory.add(epochDay, eventId, categoryId, 1);
    }

    /** Adds money (fen) of an event on a day, for windowed sums. */
    public void recordAmount(int epochDay, int eventId, long fen) {
        if (money == null) {
            money = new DailySums();
        }
        money.add(DailySums.key(epochDay, eventId), fen);
    }

    /** Events of one category in {@code [fromDay, toDay]}. */
    public long countInCategory(int eventId, int categoryId, int fromDay, int toDay) {
        return byCategory == null ? 0 : byCategory.sum(eventId, categoryId, fromDay, toDay);
    }

    /** Money in fen of one event in {@code [fromDay, toDay]}. */
    public long amountFen(int eventId, int fromDay, int toDay) {
        return money == null ? 0 : money.sum(eventId, -1, fromDay, toDay);
    }

    /**
     * Counts one event.
     *
     * @param eventId the tenant dictionary id of the event name
     * @param timestamp event time, epoch milliseconds
     * @param epochDay the day of that time in the tenant's zone
     * @param channel dictionary id of the channel, -1 when unknown
     * @param source dictionary id of the acquisition source (e.g. a contact-way state), -1 when none
     */
    public void recordEvent(int eventId, long timestamp, int epochDay, int channel, int source) {
        if (timestamp < firstSeen) {
            firstSeen = timestamp;
            if (channel >= 0) {
                originChannel = channel;
            }
            if (source >= 0) {
                originSource = source;
            }
        } else if (originChannel < 0 && channel >= 0) {
            originChannel = channel;
        }
        if (originSource < 0 && source >= 0) {
            originSource = source;
        }
        lastSeen = Math.max(lastSeen, timestamp);
        eventCount++;
        if (eventId >= countsByEvent.length) {
            countsByEvent = Arrays.copyOf(countsByEvent, Math.max(eventId + 1, countsByEvent.length + 4));
        }
        countsByEvent[eventId]++;
        daily.add(epochDay, eventId, 1);
    }

    public void recordOrder(long amountFen, long timestamp) {
        orderCount++;
        totalSpendFen += amountFen;
        lastOrderAt = Math.max(lastOrderAt, timestamp);
    }

    public void recordRefund(long amountFen) {
        refundCount++;
        refundedFen += amountFen;
    }

    public void recordCategory(int categoryId, int weight) {
        for (int i = 0; i < categories.length; i += 2) {
            if (categories[i] == categoryId) {
                categories[i + 1] += weight;
                return;
            }
        }
        int at = categories.length;
        categories = Arrays.copyOf(categories, at + 2);
        categories[at] = categoryId;
        categories[at + 1] = weight;
    }

    /** Folds a merged-away person into this one; the survivor's traits win on conflict. */
    public void absorb(Profile other) {
        if (other.firstSeen < firstSeen) {
            firstSeen = other.firstSeen;
            originChannel = other.originChannel >= 0 ? other.originChannel : originChannel;
            originSource = other.originSource >= 0 ? other.originSource : originSource;
        }
        lastSeen = Math.max(lastSeen, other.lastSeen);
        eventCount += other.eventCount;
        if (other.countsByEvent.length > countsByEvent.length) {
            countsByEvent = Arrays.copyOf(countsByEvent, other.countsByEvent.length);
        }
        for (int i = 0; i < other.countsByEvent.length; i++) {
            countsByEvent[i] += other.countsByEvent[i];
        }
        daily.absorb(other.daily);
        if (other.byCategory != null) {
            if (byCategory == null) {
                byCategory = new FacetCounters();
            }
            byCategory.absorb(other.byCategory);
        }
        if (other.money != null) {
            if (money == null) {
                money = new DailySums();
            }
            money.absorb(other.money);
        }
        orderCount += other.orderCount;
        totalSpendFen += other.totalSpendFen;
        lastOrderAt = Math.max(lastOrderAt, other.lastOrderAt);
        refundCount += other.refundCount;
        refundedFen += other.refundedFen;
        for (int i = 0; i < other.categories.length; i += 2) {
            recordCategory(other.categories[i], other.categories[i + 1]);
        }
        Traits mine = new Traits();
        mine.setAll(traits);
        traits.setAll(other.traits);
        traits.setAll(mine);
    }

    public Traits traits() {
        return traits;
    }

    /** Epoch ms of the earliest event, or {@link Long#MAX_VALUE} before any. */
    public long firstSeen() {
        return firstSeen;
    }

    /** Epoch ms of the latest event, or {@link Long#MIN_VALUE} before any. */
    public long lastSeen() {
        return lastSeen;
    }

    public int eventCount() {
        return eventCount;
    }

    public int count(int eventId) {
        return eventId >= 0 && eventId < countsByEvent.length ? countsByEvent[eventId] : 0;
    }

    public int eventIdLimit() {
        return countsByEvent.length;
    }

    public DailyCounters daily() {
        return daily;
    }

    public int orderCount() {
        return orderCount;
    }

    public long totalSpendFen() {
        return totalSpendFen;
    }

    /** Average order value in fen, 0 without orders. */
    public long averageOrderFen() {
        return orderCount == 0 ? 0 : Math.round((double) totalSpendFen / orderCount);
    }

    public long lastOrderAt() {
        return lastOrderAt;
    }

    public int refundCount() {
        return refundCount;
    }

    public long refundedFen() {
        return refundedFen;
    }

    /** Category ids by descending weight, at most {@code limit}, as (id, weight) pairs. */
    public int[] topCategories(int limit) {
        int n = categories.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(categories[b * 2 + 1], categories[a * 2 + 1]));
        int k = Math.min(limit, n);
        int[] top = new int[k * 2];
        for (int i = 0; i < k; i++) {
            top[i * 2] = categories[order[i] * 2];
            top[i * 2 + 1] = categories[order[i] * 2 + 1];
        }
        return top;
    }

    public int originChannel() {
        return originChannel;
    }

    public int originSource() {
        return originSource;
    }

    public void write(DataOutput out) throws IOException {
        out.writeLong(firstSeen);
        out.writeLong(lastSeen);
        out.writeInt(eventCount);
        writeInts(out, countsByEvent);
        daily.write(out);
        out.writeBoolean(byCategory != null);
        if (byCategory != null) {
            byCategory.write(out);
        }
        writeSums(out, money);
        out.writeInt(orderCount);
        out.writeLong(totalSpendFen);
        out.writeLong(lastOrderAt);
        out.writeInt(refundCount);
        out.writeLong(refundedFen);
        writeInts(out, categories);
        out.writeInt(originChannel);
        out.writeInt(originSource);
        traits.write(out);
    }

    public static Profile read(DataInput in) throws IOException {
        long firstSeen = in.readLong();
        long lastSeen = in.readLong();
        int eventCount = in.readInt();
        int[] countsByEvent = readInts(in);
        DailyCounters daily = DailyCounters.read(in);
        FacetCounters byCategory = in.readBoolean() ? FacetCounters.read(in) : null;
        DailySums money = readSums(in);
        int orderCount = in.readInt();
        long totalSpend = in.readLong();
        long lastOrderAt = in.readLong();
        int refundCount = in.readInt();
        long refunded = in.readLong();
        int[] categories = readInts(in);
        int originChannel = in.readInt();
        int originSource = in.readInt();
        Profile profile = new Profile(daily, Traits.read(in));
        profile.byCategory = byCategory;
        profile.money = money;
        profile.firstSeen = firstSeen;
        profile.lastSeen = lastSeen;
        profile.eventCount = eventCount;
        profile.countsByEvent = countsByEvent;
        profile.orderCount = orderCount;
        profile.totalSpendFen = totalSpend;
        profile.lastOrderAt = lastOrderAt;
        profile.refundCount = refundCount;
        profile.refundedFen = refunded;
        profile.categories = categories;
        profile.originChannel = originChannel;
        profile.originSource = originSource;
        return profile;
    }

    private static void writeSums(DataOutput out, @Nullable DailySums sums) throws IOException {
        out.writeBoolean(sums != null);
        if (sums != null) {
            sums.write(out);
        }
    }

    private static @Nullable DailySums readSums(DataInput in) throws IOException {
        return in.readBoolean() ? DailySums.read(in) : null;
    }

    private static void writeInts(DataOutput out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInput in) throws IOException {
        int n = in.readInt();
        if (n == 0) {
            return EMPTY;
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}
