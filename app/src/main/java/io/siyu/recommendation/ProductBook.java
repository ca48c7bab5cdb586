package io.siyu.recommendation;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.EventKind;
import io.siyu.engine.TenantState;
import io.siyu.profile.Dictionary;
import io.siyu.profile.Profile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's products as its events show them, kept incrementally in engine state (snapshotted
 * with the tenant, rebuilt by replay): each product's popularity over the last
 * {@value #WINDOW_DAYS} days (an order counts 5, a cart or wishlist add 2, a view 1, like the
 * profile's category preference), its category and name, and per person the last
 * {@value #RECENT} products they viewed, put in the cart or wishlist, or bought.
 *
 * <p>Popularity is a ring of day buckets per product, so counting is O(1) and the window slides
 * by itself. The ranking is derived state: recomputed on read when something changed, except that
 * catalogues over {@value #EXACT_UP_TO} products are re-ranked at most every
 * {@value #STALE_MS} ms on reads and otherwise on the engine's tick, so a busy shop's reads do not
 * each sort the catalogue.
 */
final class ProductBook implements EngineExtension.Part {

    static final int WINDOW_DAYS = 7;
    /** A view or cart add older than this is no longer the person's current interest. */
    static final int INTEREST_DAYS = 30;
    /** Per tenant; products first seen after this are not counted (memory is bounded per tenant). */
    static final int MAX_PRODUCTS = 200_000;
    static final int RECENT = 16;
    static final int EXACT_UP_TO = 10_000;
    static final long STALE_MS = 10_000;
    static final int MAX_RANKED = 10_000;

    static final int VIEWED = 1;
    static final int IN_CART = 2;
    static final int WISHLIST = 4;
    static final int BOUGHT = 8;
    /** Not stored: a cart removal clears {@link #IN_CART}. */
    private static final int REMOVED = 0;

    private static final int VIEW_WEIGHT = 1;
    private static final int ADD_WEIGHT = 2;
    private static final int ORDER_WEIGHT = 5;
    private static final int SNAPSHOT_VERSION = 1;

    private final Dictionary products;
    /** Category per product as an id of {@link TenantState#categoryNames()}, -1 when unknown. */
    private int[] categories;
    private @Nullable String[] names;
    /** Ring of day buckets, {@code [product * WINDOW_DAYS + day % WINDOW_DAYS]}: the day a bucket holds and its score. */
    private int[] bucketDays;
    private int[] bucketScores;
    /** Per person index: packed entries (see {@link #pack}), 0 for an empty slot; null when none. */
    private long[][] recent;

    private int[] ranked = new int[0];
    private int[] rankedScores = new int[0];
    private int rankedDay = Integer.MIN_VALUE;
    private long rankedAt = Long.MIN_VALUE;
    private boolean dirty = true;

    ProductBook() {
        this(new Dictionary(), new int[0], new String[0], new int[0], new int[0], new long[1024][]);
    }

    private ProductBook(Dictionary products, int[] categories, @Nullable String[] names, int[] bucketDays, int[] bucketScores,
            long[][] recent) {
        this.products = products;
        this.categories = categories;
        this.names = names;
        this.bucketDays = bucketDays;
        this.bucketScores = bucketScores;
        this.recent = recent;
    }

    @Override
    public void applied(TenantState state, Event event, int person) {
        if (event.kind() != EventKind.TRACK) {
            return;
        }
        int flag;
        int weight;
        switch (event.name()) {
            case "Product Viewed", "Product Clicked" -> {
                flag = VIEWED;
                weight = VIEW_WEIGHT;
            }
            case "Product Added" -> {
                flag = IN_CART;
                weight = ADD_WEIGHT;
            }
            case "Product Added to Wishlist" -> {
                flag = WISHLIST;
                weight = ADD_WEIGHT;
            }
            case "Product Removed" -> {
                flag = REMOVED;
                weight = 0;
            }
            case "Order Completed" -> {
                flag = BOUGHT;
                weight = ORDER_WEIGHT;
            }
            default -> {
                return;
            }
        }
        List<ProductMentions.Mention> mentions = ProductMentions.of(event.properties());
        int day = TenantState.epochDayOf(event.timestamp());
        for (ProductMentions.Mention mention : mentions) {
            int product = product(mention.productId());
            if (product < 0) {
                continue;
            }
            // a single product's category may be the event's own; an order's lines carry their own
            String category = mention.category() != null ? mention.category()
                    : mentions.size() == 1 && !event.categories().isEmpty() ? event.categories().getFirst() : null;
            if (category != null) {
                int id = state.categoryNames().find(category.length() > 100 ? category.substring(0, 100) : category);
                if (id >= 0) {
                    categories[product] = id;
                }
            }
            if (mention.name() != null && !mention.name().equals(names[product])) {
                // an equal name stays: the new copy would otherwise be kept and survive collections, for nothing
                names[product] = mention.name();
            }
            if (weight > 0) {
                count(product, day, weight);
                dirty = true;
            }
            note(person, product, flag, day);
        }
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        long[] moved = from < recent.length ? recent[from] : null;
        if (moved == null) {
            return;
        }
        recent[from] = null;
        for (long entry : moved) {
            if (entry != 0) {
                int flags = flagsOf(entry);
                for (int bit = 1; bit <= BOUGHT; bit <<= 1) {
                    if ((flags & bit) != 0) {
                        note(into, productOf(entry), bit, dayOf(entry));
                    }
                }
                if (viewsOf(entry) > 1) {
                    note(into, productOf(entry), VIEWED, dayOf(entry), viewsOf(entry) - 1);
                }
            }
        }
    }

    @Override
    public void tick(TenantState state, long now) {
        rank(now, false);
    }

    /** The tenant's most popular products over the window, best first; at most {@code max}. */
    List<Recommendation.Item> popular(TenantState state, int max, long now) {
        rank(now, true);
        List<Recommendation.Item> out = new ArrayList<>(Math.min(max, ranked.length));
        for (int i = 0; i < ranked.length && out.size() < max; i++) {
            out.add(item(state, ranked[i], "popular"));
        }
        return out;
    }

    /**
     * A person's list, best first, at most {@code max}: products they put in the cart or wishlist
     * or viewed lately and did not buy, then popular products of their preferred categories, then
     * the tenant's popular products; never one they bought.
     *
     * @param person a canonical person index
     */
    List<Recommendation.Item> personal(TenantState state, int person, int max, long now) {
        rank(now, true);
        int today = TenantState.epochDayOf(now);
        List<Recommendation.Item> out = new ArrayList<>(max);
        Set<Integer> taken = new HashSet<>();
        long[] entries = person >= 0 && person < recent.length ? recent[person] : null;
        if (entries != null) {
            List<long[]> interest = new ArrayList<>();
            for (long entry : entries) {
                if (entry == 0) {
                    continue;
                }
                if ((flagsOf(entry) & BOUGHT) != 0) {
                    taken.add(productOf(entry));
                } else if (dayOf(entry) > today - INTEREST_DAYS) {
                    interest.add(new long[] {interestOf(entry, today), entry});
                }
            }
            interest.sort((a, b) -> Long.compare(b[0], a[0]));
            for (long[] pair : interest) {
                if (out.size() >= max) {
                    break;
                }
                int flags = flagsOf(pair[1]);
                String reason = (flags & IN_CART) != 0 ? "in-cart" : (flags & WISHLIST) != 0 ? "wishlist" : "viewed";
                out.add(item(state, productOf(pair[1]), reason));
                taken.add(productOf(pair[1]));
            }
        }
        Profile profile = state.profile(person);
        if (profile != null && out.size() < max) {
            int[] top = profile.topCategories(3); // pairs (category id, weight)
            long total = 0;
            for (int i = 1; i < top.length; i += 2) {
                total += top[i];
            }
            if (total > 0) {
                // a product of a preferred category weighs its popularity times the category's share of the person's interest
                List<double[]> picks = new ArrayList<>();
                for (int i = 0; i < ranked.length; i++) {
                    int category = categories[ranked[i]];
                    for (int c = 0; c < top.length; c += 2) {
                        if (top[c] == category && top[c + 1] > 0 && !taken.contains(ranked[i])) {
                            picks.add(new double[] {rankedScores[i] * (double) top[c + 1] / total, ranked[i], i});
                        }
                    }
                }
                picks.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[2], b[2]));
                for (double[] pick : picks) {
                    if (out.size() >= max) {
                        break;
                    }
                    int product = (int) pick[1];
                    out.add(item(state, product, "category:" + state.categoryNames().name(categories[product])));
                    taken.add(product);
                }
            }
        }
        for (int i = 0; i < ranked.length && out.size() < max; i++) {
            if (taken.add(ranked[i])) {
                out.add(item(state, ranked[i], "popular"));
            }
        }
        return out;
    }

    /** Cart beats wishlist beats views, each fading with the days since. */
    private static long interestOf(long entry, int today) {
        int flags = flagsOf(entry);
        long points = ((flags & IN_CART) != 0 ? 600 : 0) + ((flags & WISHLIST) != 0 ? 400 : 0) + Math.min(viewsOf(entry), 5) * 100L;
        int age = Math.max(0, today - dayOf(entry));
        return points * 7 / (7 + age);
    }

    private Recommendation.Item item(TenantState state, int product, String reason) {
        int category = categories[product];
        return new Recommendation.Item(products.name(product), names[product],
                category < 0 ? null : state.categoryNames().name(category), reason);
    }

    /** The index of a product, interned on first sight; -1 when the catalogue is full. */
    private int product(String id) {
        int known = products.find(id);
        if (known >= 0 || products.size() >= MAX_PRODUCTS) {
            return known;
        }
        int index = products.id(id);
        if (index >= categories.length) {
            int size = Math.max(index + 1, Math.max(64, categories.length * 2));
            int old = categories.length;
            categories = Arrays.copyOf(categories, size);
            Arrays.fill(categories, old, size, -1);
            names = Arrays.copyOf(names, size);
            bucketDays = Arrays.copyOf(bucketDays, size * WINDOW_DAYS);
            Arrays.fill(bucketDays, old * WINDOW_DAYS, size * WINDOW_DAYS, Integer.MIN_VALUE);
            bucketScores = Arrays.copyOf(bucketScores, size * WINDOW_DAYS);
        }
        return index;
    }

    private void count(int product, int day, int weight) {
        int i = product * WINDOW_DAYS + Math.floorMod(day, WINDOW_DAYS);
        if (bucketDays[i] == day) {
            bucketScores[i] = (int) Math.min(Integer.MAX_VALUE, (long) bucketScores[i] + weight);
        } else if (day > bucketDays[i]) {
            bucketDays[i] = day;
            bucketScores[i] = weight;
        }
        // else the slot already holds a later day: this event is older than the window of the newest, so it does not count
    }

    /** A product's score over the window ending {@code today}. */
    private int windowScore(int product, int today) {
        long sum = 0;
        for (int d = 0; d < WINDOW_DAYS; d++) {
            int i = product * WINDOW_DAYS + d;
            if (bucketDays[i] <= today && bucketDays[i] > today - WINDOW_DAYS) {
                sum += bucketScores[i];
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    /** Re-ranks when something changed or the day turned; see the class comment for large catalogues. */
    private void rank(long now, boolean reading) {
        int today = TenantState.epochDayOf(now);
        if (!dirty && today == rankedDay) {
            return;
        }
        if (reading && products.size() > EXACT_UP_TO && today == rankedDay && now - rankedAt < STALE_MS) {
            return;
        }
        int n = products.size();
        long[] keys = new long[n];
        int k = 0;
        for (int p = 0; p < n; p++) {
            int score = windowScore(p, today);
            if (score > 0) {
                keys[k++] = ((long) (Integer.MAX_VALUE - score) << 32) | p; // best first, then first seen
            }
        }
        Arrays.sort(keys, 0, k);
        int size = Math.min(k, MAX_RANKED);
        ranked = new int[size];
        rankedScores = new int[size];
        for (int i = 0; i < size; i++) {
            ranked[i] = (int) keys[i];
            rankedScores[i] = Integer.MAX_VALUE - (int) (keys[i] >>> 32);
        }
        rankedDay = today;
        rankedAt = now;
        dirty = false;
    }

    private void note(int person, int product, int flag, int day) {
        note(person, product, flag, day, flag == VIEWED ? 1 : 0);
    }

    private void note(int person, int product, int flag, int day, int views) {
        if (person < 0) {
            return;
        }
        if (person >= recent.length) {
            recent = Arrays.copyOf(recent, Math.max(person + 1, recent.length * 2));
        }
        long[] entries = recent[person];
        if (entries == null) {
            if (flag == REMOVED) {
                return;
            }
            entries = new long[RECENT];
            recent[person] = entries;
        }
        int free = -1;
        int oldest = 0;
        for (int i = 0; i < entries.length; i++) {
            long entry = entries[i];
            if (entry == 0) {
                free = free < 0 ? i : free;
            } else if (productOf(entry) == product) {
                int flags = flag == REMOVED ? flagsOf(entry) & ~IN_CART : flagsOf(entry) | flag;
                // bought clears the cart: the order took it out
                flags = flag == BOUGHT ? flags & ~IN_CART : flags;
                entries[i] = flags == 0 ? 0 : pack(product, Math.max(day, dayOf(entry)), viewsOf(entry) + views, flags);
                return;
            } else if (dayOf(entry) < dayOf(entries[oldest]) || entries[oldest] == 0) {
                oldest = i;
            }
        }
        if (flag == REMOVED) {
            return;
        }
        entries[free >= 0 ? free : oldest] = pack(product, day, views, flag);
    }

    /** product (32 bits) | epoch day (16) | views, saturating (8) | flags (8); never 0, since flags are not. */
    private static long pack(int product, int day, int views, int flags) {
        return (product & 0xFFFF_FFFFL) | ((long) Math.clamp(day, 0, 0xFFFF) << 32) | ((long) Math.min(views, 0xFF) << 48)
                | ((long) (flags & 0xFF) << 56);
    }

    private static int productOf(long entry) {
        return (int) entry;
    }

    private static int dayOf(long entry) {
        return (int) (entry >>> 32) & 0xFFFF;
    }

    private static int viewsOf(long entry) {
        return (int) (entry >>> 48) & 0xFF;
    }

    private static int flagsOf(long entry) {
        return (int) (entry >>> 56) & 0xFF;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeByte(SNAPSHOT_VERSION);
        products.write(out);
        int n = products.size();
        for (int p = 0; p < n; p++) {
            out.writeInt(categories[p]);
            String name = names[p];
            out.writeBoolean(name != null);
            if (name != null) {
                out.writeUTF(name);
            }
            for (int d = 0; d < WINDOW_DAYS; d++) {
                out.writeInt(bucketDays[p * WINDOW_DAYS + d]);
                out.writeInt(bucketScores[p * WINDOW_DAYS + d]);
            }
        }
        int people = 0;
        for (long[] entries : recent) {
            people += entries == null ? 0 : 1;
        }
        out.writeInt(recent.length);
        out.writeInt(people);
        for (int person = 0; person < recent.length; person++) {
            long[] entries = recent[person];
            if (entries != null) {
                out.writeInt(person);
                for (long entry : entries) {
                    out.writeLong(entry);
                }
            }
        }
    }

    static ProductBook read(DataInput in) throws IOException {
        int version = in.readByte();
        if (version != SNAPSHOT_VERSION) {
            throw new IOException("product snapshot version " + version + " is not " + SNAPSHOT_VERSION);
        }
        Dictionary products = Dictionary.read(in);
        int n = products.size();
        int[] categories = new int[n];
        String[] names = new String[n];
        int[] bucketDays = new int[n * WINDOW_DAYS];
        int[] bucketScores = new int[n * WINDOW_DAYS];
        for (int p = 0; p < n; p++) {
            categories[p] = in.readInt();
            names[p] = in.readBoolean() ? in.readUTF() : null;
            for (int d = 0; d < WINDOW_DAYS; d++) {
                bucketDays[p * WINDOW_DAYS + d] = in.readInt();
                bucketScores[p * WINDOW_DAYS + d] = in.readInt();
            }
        }
        long[][] recent = new long[Math.max(1024, in.readInt())][];
        int people = in.readInt();
        for (int i = 0; i < people; i++) {
            int person = in.readInt();
            long[] entries = new long[RECENT];
            for (int e = 0; e < RECENT; e++) {
                entries[e] = in.readLong();
            }
            recent[person] = entries;
        }
        return new ProductBook(products, categories, names, bucketDays, bucketScores, recent);
    }
}
