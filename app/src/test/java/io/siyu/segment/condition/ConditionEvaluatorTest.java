package io.siyu.segment.condition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final Map<String, Object> traits = new HashMap<>();
    private final Set<String> tags = new HashSet<>();
    private final Set<String> segments = new HashSet<>();
    private final List<TestPerson.Event> events = new ArrayList<>();

    @Test
    void matchesTheSpecSegmentForAThirtyYearOldRepeatBuyerWhoWentQuiet() {
        String segment = "age between 25 and 30 and count(\"Order Completed\", 365d) >= 3 and days_since(last_interaction) > 30";
        traits.put("age", 30L);
        order(40, 100_00);
        order(100, 100_00);
        order(200, 100_00);

        assertThat(holds(segment)).isTrue();

        event("Page Viewed", 29, Map.of());
        assertThat(holds(segment)).as("interacted 29 days ago").isFalse();
    }

    @Test
    void seesAHighSpenderByAverageOrderValueInYuan() {
        order(3, 800_00);
        order(5, 1_300_50);

        assertThat(holds("avg_order_value > 1000")).isTrue();
        assertThat(holds("avg_order_value = 1050.25")).isTrue();
        assertThat(holds("total_spend = 2100.5")).isTrue();
        assertThat(holds("sum(\"Order Completed\", 90d) >= 500")).isTrue();
        assertThat(holds("sum(\"Order Completed\", 4d) = 800")).isTrue();
    }

    @Test
    void combinesTagsAndSegments() {
        tags.add("high_spender");

        assertThat(holds("has_tag(\"high_spender\") and not in_segment(\"dormant\")")).isTrue();
        segments.add("dormant");
        assertThat(holds("has_tag(\"high_spender\") and not in_segment(\"dormant\")")).isFalse();
    }

    @Test
    void countsOnlyMatchingEventsInsideTheWindow() {
        event("Product Viewed", 1, Map.of("category", "母婴"));
        event("Product Viewed", 29, Map.of("category", "母婴"));
        event("Product Viewed", 31, Map.of("category", "母婴"));
        event("Product Viewed", 2, Map.of("category", "美妆"));

        assertThat(holds("count(\"Product Viewed\" where category = \"母婴\", 30d) >= 2")).isTrue();
        assertThat(holds("count(\"Product Viewed\" where category = \"母婴\", 30d) >= 3")).isFalse();
        assertThat(holds("count(\"Product Viewed\", 4w) = 2 and count(\"Product Viewed\", 5w) = 4")).isTrue();
        assertThat(holds("count(\"Product Viewed\", 24h) = 0")).isTrue();
    }

    @Test
    void countsAnEventExactlyOneWindowAgoAsOutside() {
        event("Product Viewed", 30, Map.of());

        assertThat(holds("count(\"Product Viewed\", 30d) = 0")).isTrue();
        assertThat(holds("count(\"Product Viewed\", 31d) = 1")).isTrue();
    }

    @Test
    void acceptsACityOrAFemaleBuyer() {
        String condition = "city in (\"上海\", \"杭州\") or (gender = \"female\" and order_count >= 1)";
        traits.put("city", "北京");
        traits.put("gender", "female");

        assertThat(holds(condition)).isFalse();
        order(3, 10_00);
        assertThat(holds(condition)).isTrue();
        traits.put("gender", "male");
        traits.put("city", "杭州");
        assertThat(holds(condition)).isTrue();
    }

    @Test
    void treatsAComparisonWithAMissingTraitAsFalseAndItsNegationAsTrue() {
        assertThat(holds("phone is missing")).isTrue();
        assertThat(holds("phone = \"13800000000\"")).isFalse();
        assertThat(holds("phone != \"13800000000\"")).isFalse();
        assertThat(holds("not phone = \"13800000000\"")).isTrue();
        assertThat(holds("days_since(birthday) > 0")).isFalse();
        assertThat(holds("days_since(last_order) <= 7")).isFalse();
        assertThat(holds("last_seen is missing")).isTrue();
    }

    @Test
    void treatsABlankStringAsMissing() {
        traits.put("name", "  ");

        assertThat(holds("name is present")).isFalse();
        traits.put("name", "王小明");
        assertThat(holds("name is present")).isTrue();
        assertThat(holds("name starts_with \"王\" and name contains \"小\"")).isTrue();
    }

    @Test
    void comparesNumericStringsAsNumbers() {
        traits.put("age", "28");
        traits.put("score", 2.5);

        assertThat(holds("age > 9")).as("28 > 9 as numbers, though \"28\" < \"9\" as text").isTrue();
        assertThat(holds("age between 25 and 30")).isTrue();
        assertThat(holds("score = 2.50")).isTrue();
        assertThat(holds("score = \"2.5\"")).isTrue();
        assertThat(holds("age = \"28.0\"")).as("two strings compare as text").isFalse();
    }

    @Test
    void makesIncomparableValuesUnequal() {
        traits.put("level", "gold");

        assertThat(holds("level = 3")).isFalse();
        assertThat(holds("level != 3")).isTrue();
        assertThat(holds("level > 3")).isFalse();
        assertThat(holds("level < 3")).isFalse();
    }

    @Test
    void comparesDatesAsDatesAndTimesByTheirUtcDay() {
        traits.put("birthday", "1996-05-01");
        order(0, 10_00);

        assertThat(holds("birthday between \"1996-01-01\" and \"1996-12-31\"")).isTrue();
        assertThat(holds("birthday < \"1996-05-01T12:00:00Z\"")).as("a date against a date-time compares days").isFalse();
        assertThat(holds("last_order = \"2026-11-25\"")).isTrue();
        assertThat(holds("last_order > \"2026-11-25T09:00:00Z\"")).isTrue();
        assertThat(holds("last_order > \"2026-11-25T18:00:00+08:00\"")).as("10:00 UTC is 18:00 in Shanghai").isFalse();
        assertThat(holds("days_since(birthday) > 10000")).isTrue();
    }

    @Test
    void measuresDaysSinceInWholeDays() {
        event("Page Viewed", 2, Map.of());
        events.add(new TestPerson.Event("Page Viewed", NOW.minus(Duration.ofHours(71)).toEpochMilli(), Map.of(), 0));
        traits.put("signed_up", NOW.minus(Duration.ofDays(10)).toEpochMilli());

        assertThat(holds("days_since(first_seen) < 3")).isTrue();
        assertThat(holds("days_since(first_seen) = 2")).isTrue();
        assertThat(holds("days_since(last_seen) = 2")).isTrue();
        assertThat(holds("days_since(signed_up) = 10")).isTrue();
    }

    @Test
    void readsChineseTraitsBooleansAndSources() {
        traits.put("会员等级", "金卡");
        traits.put("vip", true);
        traits.put("newsletter", "FALSE");
        traits.put("source", "douyin-ad");

        assertThat(holds("会员等级 = \"金卡\" and vip = true and newsletter = false and source = \"douyin-ad\"")).isTrue();
        assertThat(holds("vip != true")).isFalse();
    }

    @Test
    void filtersEventsOnNumericProperties() {
        event("Product Viewed", 1, Map.of("price", 199L));
        event("Product Viewed", 1, Map.of("price", "89.9"));
        event("Product Viewed", 1, Map.of());

        assertThat(holds("count(\"Product Viewed\" where price >= 100, 7d) = 1")).isTrue();
        assertThat(holds("count(\"Product Viewed\" where price < 100, 7d) = 1")).isTrue();
        assertThat(holds("count(\"Product Viewed\" where price != 199, 7d) = 1")).as("a missing property passes no test").isTrue();
    }

    private boolean holds(String condition) {
        TestPerson person = new TestPerson(traits, tags, segments, events, NOW.toEpochMilli());
        boolean result = ConditionEvaluator.evaluate(ConditionParser.parse(condition), new TestPersonFacts(person));
        assertThat(ReferenceEvaluator.evaluate(ConditionParser.parse(condition), person))
                .as("the reference evaluator on %s", condition).isEqualTo(result);
        return result;
    }

    private void order(int daysAgo, long amountFen) {
        events.add(new TestPerson.Event(TestPerson.ORDER, NOW.minus(Duration.ofDays(daysAgo)).toEpochMilli(), Map.of(), amountFen));
    }

    private void event(String name, int daysAgo, Map<String, Object> properties) {
        events.add(new TestPerson.Event(name, NOW.minus(Duration.ofDays(daysAgo)).toEpochMilli(), properties, 0));
    }
}
