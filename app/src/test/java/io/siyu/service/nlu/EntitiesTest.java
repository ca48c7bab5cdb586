package io.siyu.service.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entities resolved against a fixed clock: Wednesday 25 Nov 2026, 10:00 in Shanghai. */
class EntitiesTest {

    private final LanguageUnderstanding nlu = new LanguageUnderstanding(LanguageUnderstanding.bundledModel(),
            Catalogue.bundled(), Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneId.of("UTC")), ZoneId.of("Asia/Shanghai"));

    private List<Entity> entities(String text) {
        return nlu.understand(text).entities();
    }

    @Test
    void resolvesRelativeDaysAndTimesOfDay() {
        assertThat(entities("明天下午三点能送到吗")).containsExactly(new Entity("datetime", "2026-11-26T15:00+08:00", 0, 6));
        assertThat(entities("晚上8点半")).containsExactly(new Entity("datetime", "2026-11-25T20:30+08:00", 0, 5));
        assertThat(entities("大后天")).containsExactly(new Entity("date", "2026-11-28", 0, 3));
        assertThat(entities("三天前买的")).containsExactly(new Entity("date", "2026-11-22", 0, 3));
    }

    @Test
    void resolvesWeekdaysAgainstMondayWeeks() {
        assertThat(entities("上周五下的单")).containsExactly(new Entity("date", "2026-11-20", 0, 3));
        assertThat(entities("下礼拜一")).containsExactly(new Entity("date", "2026-11-30", 0, 4));
        assertThat(entities("周日")).containsExactly(new Entity("date", "2026-11-29", 0, 2));
        assertThat(entities("上星期天 10:30")).containsExactly(new Entity("datetime", "2026-11-22T10:30+08:00", 0, 10));
    }

    @Test
    void resolvesCalendarDates() {
        assertThat(entities("11月3号")).containsExactly(new Entity("date", "2026-11-03", 0, 5));
        assertThat(entities("2024年5月1日")).containsExactly(new Entity("date", "2024-05-01", 0, 9));
        assertThat(entities("十二月二十五号")).containsExactly(new Entity("date", "2026-12-25", 0, 7));
        assertThat(entities("13月40号")).isEmpty();
    }

    @Test
    void readsAmountsInDigitsAndChineseNumerals() {
        assertThat(entities("退199元")).containsExactly(new Entity("amount", "199", 1, 5));
        assertThat(entities("多扣了五十块")).containsExactly(new Entity("amount", "50", 3, 6));
        assertThat(entities("两百五十块钱")).containsExactly(new Entity("amount", "250", 0, 6));
        assertThat(entities("¥59.90")).containsExactly(new Entity("amount", "59.9", 0, 6));
    }

    @Test
    void tellsPhonesFromOrderNumbers() {
        assertThat(entities("电话13912345678")).containsExactly(new Entity("phone", "13912345678", 2, 13));
        assertThat(entities("+8613912345678")).containsExactly(new Entity("phone", "13912345678", 0, 14));
        assertThat(entities("单号SO20240105123456")).containsExactly(new Entity("order_number", "SO20240105123456", 2, 18));
        assertThat(entities("订单号：556677")).containsExactly(new Entity("order_number", "556677", 4, 10));
        assertThat(entities("iphone15pro")).isEmpty();
    }

    @Test
    void findsCatalogueProductsAndCategories() {
        assertThat(entities("玫瑰精油还有货吗")).containsExactly(new Entity("product", "玫瑰精油", 0, 4));
        assertThat(entities("猫粮")).containsExactly(new Entity("category", "宠物", 0, 2));
    }

    @Test
    void offsetsPointIntoTheOriginalTextDespiteEmojiAndFullWidth() {
        String text = "😡订单ＳＯ１２３４５６７８９";
        Entity order = entities(text).getFirst();
        assertThat(order.value()).isEqualTo("SO123456789");
        assertThat(text.substring(order.start(), order.end())).isEqualTo("ＳＯ１２３４５６７８９");
    }

    @Test
    void aLittleIsNotOneOclock() {
        assertThat(entities("能便宜一点吗")).isEmpty();
    }
}
