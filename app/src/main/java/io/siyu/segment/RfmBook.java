package io.siyu.segment;

import io.siyu.engine.EngineExtension;
import io.siyu.engine.Event;
import io.siyu.engine.TenantState;
import io.siyu.profile.Profile;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * RFM scores of one tenant's buyers, recomputed on schedule (daily, and on demand): recency,
 * frequency and monetary value each scored 1–5 by quintile among buyers, then classed into the
 * eight RFM classes against the average scores. The classes become the tags of group
 * {@value RfmClass#GROUP}. People without orders have no scores.
 */
public final class RfmBook implements EngineExtension.Part {

    static final long RECOMPUTE_EVERY_MS = 86_400_000L;

    private byte[] r = new byte[0];
    private byte[] f = new byte[0];
    private byte[] m = new byte[0];
    private long computedAt = Long.MIN_VALUE;

    @Override
    public void applied(TenantState state, Event event, int person) {
        // scores follow the schedule, not each order: classes are relative to everybody else
    }

    @Override
    public void tick(TenantState state, long now) {
        if (now - computedAt >= RECOMPUTE_EVERY_MS) {
            recompute(state, now);
        }
    }

    /** Scores everybody now and rewrites the RFM tags; returns buyers per class. */
    public Map<RfmClass, Integer> recompute(TenantState state, long now) {
        int n = state.graph().size();
        int buyers = 0;
        int[] people = new int[n];
        for (int p = 0; p < n; p++) {
            Profile profile = state.profile(p);
            if (profile != null && !state.graph().isMerged(p) && profile.orderCount() > 0) {
                people[buyers++] = p;
            }
        }
        r = new byte[n];
        f = new byte[n];
        m = new byte[n];
        int[] buyerIds = Arrays.copyOf(people, buyers);
        // recency: more recent last order scores higher
        score(buyerIds, r, p -> state.profile(p).lastOrderAt());
        score(buyerIds, f, p -> state.profile(p).orderCount());
        score(buyerIds, m, p -> state.profile(p).totalSpendFen());
        double meanR = mean(buyerIds, r);
        double meanF = mean(buyerIds, f);
        double meanM = mean(buyerIds, m);
        Map<RfmClass, RoaringBitmap> classes = new EnumMap<>(RfmClass.class);
        for (RfmClass c : RfmClass.values()) {
            classes.put(c, new RoaringBitmap());
        }
        for (int p : buyerIds) {
            classes.get(RfmClass.of(r[p] >= meanR, f[p] >= meanF, m[p] >= meanM)).add(p);
        }
        Map<String, RoaringBitmap> tags = new LinkedHashMap<>();
        Map<RfmClass, Integer> counts = new EnumMap<>(RfmClass.class);
        classes.forEach((c, bitmap) -> {
            tags.put(c.label(), bitmap);
            counts.put(c, bitmap.getCardinality());
        });
        state.part(TagExtension.ID, TagBook.class).replaceGroup(RfmClass.GROUP, tags);
        computedAt = now;
        return counts;
    }

    /** Quintile scores 1–5 by ascending key; ties get the same score. */
    private static void score(int[] buyers, byte[] into, java.util.function.IntToLongFunction key) {
        int n = buyers.length;
        if (n == 0) {
            return;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key.applyAsLong(buyers[i]);
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            int rank = lowerBound(sorted, keys[i]); // first position of this value: ties share a score
            into[buyers[i]] = (byte) (1 + (int) ((long) rank * 5 / n));
        }
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double mean(int[] buyers, byte[] scores) {
        long sum = 0;
        for (int p : buyers) {
            sum += scores[p];
        }
        return buyers.length == 0 ? 0 : (double) sum / buyers.length;
    }

    @Override
    public void merged(TenantState state, int from, int into) {
        if (from < r.length) {
            r[from] = 0;
            f[from] = 0;
            m[from] = 0;
        }
    }

    @Override
    public void scoresOf(int person, Map<String, Object> into) {
        if (person < r.length && r[person] > 0) {
            into.put("rfm_r", (int) r[person]);
            into.put("rfm_f", (int) f[person]);
            into.put("rfm_m", (int) m[person]);
        }
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeLong(computedAt);
        out.writeInt(r.length);
        out.write(r);
        out.write(f);
        out.write(m);
    }

    static RfmBook read(DataInput in) throws IOException {
        RfmBook book = new RfmBook();
        book.computedAt = in.readLong();
        int n = in.readInt();
        book.r = new byte[n];
        book.f = new byte[n];
        book.m = new byte[n];
        in.readFully(book.r);
        in.readFully(book.f);
        in.readFully(book.m);
        return book;
    }
}
