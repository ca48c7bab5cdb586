package io.siyu.segment.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.siyu.segment.condition.Condition.And;
import io.siyu.segment.condition.Condition.Between;
import io.siyu.segment.condition.Condition.Comparison;
import io.siyu.segment.condition.Condition.HasTag;
import io.siyu.segment.condition.Condition.In;
import io.siyu.segment.condition.Condition.InSegment;
import io.siyu.segment.condition.Condition.IsMissing;
import io.siyu.segment.condition.Condition.IsPresent;
import io.siyu.segment.condition.Condition.Not;
import io.siyu.segment.condition.Condition.Or;
import io.siyu.segment.condition.Operand.Count;
import io.siyu.segment.condition.Operand.DaysSince;
import io.siyu.segment.condition.Operand.StatRef;
import io.siyu.segment.condition.Operand.Sum;
import io.siyu.segment.condition.Operand.Trait;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionParserTest {

    @Test
    void readsTheSegmentFromTheSpec() {
        Condition c = parse("age between 25 and 30 and count(\"Order Completed\", 365d) >= 3 and days_since(last_interaction) > 30");

        assertThat(c).isEqualTo(new And(
                new Between(trait("age"), number("25"), number("30")),
                new Comparison(new Count("Order Completed", List.of(), Window.days(365)), Op.GE, number("3")),
                new Comparison(new DaysSince(stat(Stat.LAST_INTERACTION)), Op.GT, number("30"))));
    }

    @Test
    void readsAComputedStatAsAStatAndAnyOtherNameAsATrait() {
        assertThat(parse("avg_order_value > 1000")).isEqualTo(new Comparison(stat(Stat.AVG_ORDER_VALUE), Op.GT, number("1000")));
        assertThat(parse("source = \"douyin-ad\"")).isEqualTo(new Comparison(trait("source"), Op.EQ, text("douyin-ad")));
        assertThat(parse("会员等级 = \"金卡\"")).isEqualTo(new Comparison(trait("会员等级"), Op.EQ, text("金卡")));
    }

    @Test
    void readsTagsSegmentsAndNegation() {
        assertThat(parse("has_tag(\"high_spender\") and not in_segment(\"dormant\")"))
                .isEqualTo(new And(new HasTag("high_spender"), new Not(new InSegment("dormant"))));
    }

    @Test
    void readsACountWithPropertyFilters() {
        assertThat(parse("count(\"Product Viewed\" where category = \"母婴\" and price >= 100, 30d) >= 2"))
                .isEqualTo(new Comparison(new Count("Product Viewed", List.of(
                        new PropertyFilter("category", Op.EQ, text("母婴")),
                        new PropertyFilter("price", Op.GE, number("100"))), Window.days(30)), Op.GE, number("2")));
    }

    @Test
    void readsInListsAndParenthesisedGroups() {
        assertThat(parse("city in (\"上海\", \"杭州\") or (gender = \"female\" and order_count >= 1)")).isEqualTo(new Or(
                new In(trait("city"), List.of(text("上海"), text("杭州"))),
                new And(new Comparison(trait("gender"), Op.EQ, text("female")),
                        new Comparison(stat(Stat.ORDER_COUNT), Op.GE, number("1")))));
    }

    @Test
    void readsPresenceTests() {
        assertThat(parse("phone is missing")).isEqualTo(new IsMissing(trait("phone")));
        assertThat(parse("name is present")).isEqualTo(new IsPresent(trait("name")));
        assertThat(parse("name is not missing")).isEqualTo(new IsPresent(trait("name")));
    }

    @Test
    void readsMoneySumsAndDaysSince() {
        assertThat(parse("sum(\"Order Completed\", 90d) >= 500"))
                .isEqualTo(new Comparison(new Sum("Order Completed", List.of(), Window.days(90)), Op.GE, number("500")));
        assertThat(parse("days_since(last_order) <= 7")).isEqualTo(new Comparison(new DaysSince(stat(Stat.LAST_ORDER)), Op.LE, number("7")));
        assertThat(parse("days_since(first_seen) < 3")).isEqualTo(new Comparison(new DaysSince(stat(Stat.FIRST_SEEN)), Op.LT, number("3")));
        assertThat(parse("days_since(birthday) > 3")).isEqualTo(new Comparison(new DaysSince(trait("birthday")), Op.GT, number("3")));
    }

    @Test
    void readsStringOperatorsInequalityAndDates() {
        assertThat(parse("name contains \"王\"")).isEqualTo(new Comparison(trait("name"), Op.CONTAINS, text("王")));
        assertThat(parse("phone starts_with \"138\"")).isEqualTo(new Comparison(trait("phone"), Op.STARTS_WITH, text("138")));
        assertThat(parse("gender != \"male\"")).isEqualTo(new Comparison(trait("gender"), Op.NE, text("male")));
        assertThat(parse("birthday >= \"1990-01-01\"")).isEqualTo(new Comparison(trait("birthday"), Op.GE, text("1990-01-01")));
        assertThat(parse("last_order > \"2026-01-01T08:00:00+08:00\""))
                .isEqualTo(new Comparison(stat(Stat.LAST_ORDER), Op.GT, text("2026-01-01T08:00:00+08:00")));
        assertThat(parse("score > -1.50")).isEqualTo(new Comparison(trait("score"), Op.GT, number("-1.5")));
        assertThat(parse("vip = true")).isEqualTo(new Comparison(trait("vip"), Op.EQ, new Value.Bool(true)));
    }

    @Test
    void acceptsKeywordsInAnyCaseAndSymbolAliases() {
        Condition expected = parse("a = 1 or b = 2 and not c = 3");

        assertThat(parse("a = 1 OR b = 2 AND NOT c = 3")).isEqualTo(expected);
        assertThat(parse("a == 1 || b = 2 && !c = 3")).isEqualTo(expected);
        assertThat(parse("ORDER_COUNT >= 1")).isEqualTo(parse("order_count >= 1"));
        assertThat(parse("x NOT IN (1, 2)")).isEqualTo(new Not(new In(trait("x"), List.of(number("1"), number("2")))));
    }

    @Test
    void bindsNotTighterThanAndAndAndTighterThanOr() {
        assertThat(parse("a = 1 or b = 2 and not c = 3")).isEqualTo(new Or(
                new Comparison(trait("a"), Op.EQ, number("1")),
                new And(new Comparison(trait("b"), Op.EQ, number("2")), new Not(new Comparison(trait("c"), Op.EQ, number("3"))))));
    }

    @Test
    void decodesStringEscapes() {
        assertThat(parse("name = \"a\\\"b\\\\c\\n\\u4e2d\"")).isEqualTo(new Comparison(trait("name"), Op.EQ, text("a\"b\\c\n中")));
    }

    @Test
    void printsCanonicalTextWithTheFewestParentheses() {
        assertThat(parse("((a = 1)) AND (b = 2 OR c = 3)").toText()).isEqualTo("a = 1 and (b = 2 or c = 3)");
        assertThat(parse("(a = 1 and b = 2) or c = 3").toText()).isEqualTo("a = 1 and b = 2 or c = 3");
        assertThat(parse("!(a = 1 && b = 2)").toText()).isEqualTo("not (a = 1 and b = 2)");
        assertThat(parse("count(\"Product Viewed\" where category = \"母婴\", 2W) >= 2.0").toText())
                .isEqualTo("count(\"Product Viewed\" where category = \"母婴\", 2w) >= 2");
    }

    @Test
    void quotesTraitNamesThatAreNotPlainIdentifiers() {
        Condition c = new Comparison(trait("count"), Op.EQ, number("1"));

        assertThat(c.toText()).isEqualTo("trait(\"count\") = 1");
        assertThat(new IsMissing(trait("first name")).toText()).isEqualTo("trait(\"first name\") is missing");
        assertThat(parse(c.toText())).isEqualTo(c);
    }

    @Test
    void pointsAtTheColumnOfAMissingValue() {
        ConditionSyntaxError error = error("age >= 25 and lifetime >= and vip = true");

        assertThat(error).hasMessage("1:27: expected a number or string after '>=' but found 'and'");
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(27);
        assertThat(error.expected()).containsExactly("number", "string");
    }

    @Test
    void pointsAtTheLineAndColumnOnLaterLines() {
        ConditionSyntaxError error = error("age >= 25\n  and city =");

        assertThat(error).hasMessage("2:13: expected a number, string or boolean after '=' but found the end");
    }

    @Test
    void asksForANumberWhenACountIsComparedWithText() {
        assertThat(error("count(\"Order Completed\", 7d) >= \"3\"")).hasMessage(
                "1:33: expected a number after '>=' but found '\"3\"'");
    }

    @Test
    void asksForAWindowUnit() {
        ConditionSyntaxError error = error("count(\"Order Completed\", 7) >= 1");

        assertThat(error).hasMessage("1:26: expected a window such as 30d, 12h or 2w after ',' but found '7'");
        assertThat(error.expected()).containsExactly("window");
    }

    @Test
    void pointsAtTheStartOfAnUnclosedString() {
        assertThat(error("a = 1 and name = \"王")).hasMessage("1:18: string is not closed: expected '\"' before the end");
    }

    @Test
    void refusesAnUnknownEscape() {
        assertThat(error("name = \"a\\x\"")).hasMessageStartingWith("1:10: unknown escape");
    }

    @Test
    void namesWhatMayFollowACompletePredicate() {
        assertThat(error("a = 1 b = 2")).hasMessage("1:7: expected 'and', 'or' or the end after '1' but found 'b'");
        assertThat(error("age => 3")).hasMessage("1:6: expected a number, string or boolean after '=' but found '>'");
        assertThat(error("age")).hasMessage("1:4: expected an operator (=, !=, <, <=, >, >=, contains, starts_with, between, in, is)"
                + " after 'age' but found the end");
        assertThat(error("")).hasMessage("1:1: expected a condition but found the end");
    }

    @Test
    void refusesDaysSinceOfANumber() {
        assertThat(error("days_since(order_count) > 1")).hasMessageStartingWith("1:12: days_since needs a time stat");
    }

    @Test
    void refusesTextLongerThanTheLimit() {
        assertThat(error("a = \"" + "x".repeat(10_000) + "\"")).hasMessage(
                "1:1: condition is 10006 characters long; at most 10000 are allowed");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        assertThat(error("(".repeat(51) + "a = 1" + ")".repeat(51))).hasMessage(
                "1:51: nesting is deeper than 50 levels of parentheses and 'not'");
        assertThat(error("not ".repeat(100) + "a = 1")).hasMessageStartingWith("1:201: nesting is deeper");
        assertThat(parse("(".repeat(50) + "a = 1" + ")".repeat(50))).isEqualTo(parse("a = 1"));
    }

    @Test
    void refusesMoreThanTwoHundredPredicates() {
        String twoHundred = "a = 1" + " or a = 1".repeat(199);

        assertThat(ConditionParser.parse(twoHundred)).isInstanceOf(Or.class);
        assertThat(error(twoHundred + " or has_tag(\"x\")")).hasMessage(
                "1:" + (twoHundred.length() + 5) + ": a condition may test at most 200 predicates");
    }

    private static Condition parse(String text) {
        return ConditionParser.parse(text);
    }

    private static ConditionSyntaxError error(String text) {
        return catchThrowableOfType(ConditionSyntaxError.class, () -> ConditionParser.parse(text));
    }

    static Trait trait(String name) {
        return new Trait(name);
    }

    static StatRef stat(Stat stat) {
        return new StatRef(stat);
    }

    static Value number(String digits) {
        return Value.Decimal.of(digits);
    }

    static Value text(String text) {
        return new Value.Text(text);
    }
}
