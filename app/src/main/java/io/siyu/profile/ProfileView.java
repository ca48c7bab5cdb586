package io.siyu.profile;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A read-only copy of a profile as the management API returns it.
 *
 * @param id the person id (UUID)
 * @param identities identifiers as {@code type:value}; phones and e-mails appear only as their keyed hash
 * @param traits typed traits; a phone trait is masked; e-mail, ID number and address are sealed
 *     ({@code sealed:…}, see {@code FieldCipher#sealText}) until a reader entitled to them opens them
 * @param stats computed statistics
 * @param tags tag names the person holds
 * @param scores model and RFM scores, by name
 * @param mergedFrom ids of people merged into this one
 */
public record ProfileView(
        String id,
        List<String> identities,
        Map<String, Object> traits,
        Stats stats,
        List<String> tags,
        Map<String, Object> scores,
        List<String> mergedFrom) {

    /**
     * @param eventCounts all-time counts per event name
     * @param last7Days events in the last 7 days per event name
     * @param last30Days events in the last 30 days per event name
     * @param categoryPreference categories by weight (views 1, cart adds 2, orders 5)
     */
    public record Stats(
            @Nullable Instant firstSeen,
            @Nullable Instant lastSeen,
            long eventCount,
            Map<String, Integer> eventCounts,
            Map<String, Integer> last7Days,
            Map<String, Integer> last30Days,
            int activeDaysLast30,
            int orderCount,
            BigDecimal totalSpend,
            BigDecimal averageOrderValue,
            @Nullable Instant lastOrderAt,
            int refundCount,
            BigDecimal refundedAmount,
            List<CategoryWeight> categoryPreference,
            @Nullable String channelOfOrigin,
            @Nullable String sourceOfOrigin) {}

    public record CategoryWeight(String category, int weight) {}
}
