package io.siyu.segment.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConditionJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesTheDocumentedShape() {
        Condition c = ConditionParser.parse("age >= 25 and has_tag(\"vip\")");

        assertThat(ConditionJson.toJson(c).toString()).isEqualTo(
                "{\"and\":[{\"compare\":{\"left\":{\"trait\":\"age\"},\"op\":\">=\",\"right\":25}},{\"has_tag\":\"vip\"}]}");
    }

    @Test
    void writesCountsWithFiltersAndWindows() {
        Condition c = ConditionParser.parse("count(\"Product Viewed\" where category = \"母婴\", 30d) >= 2 or not phone is missing"
                + " or days_since(last_order) between 1 and 7 or city in (\"上海\")");

        assertThat(ConditionJson.toJson(c).toString()).isEqualTo("{\"or\":["
                + "{\"compare\":{\"left\":{\"count\":{\"event\":\"Product Viewed\",\"where\":[{\"property\":\"category\",\"op\":\"=\","
                + "\"value\":\"母婴\"}],\"window\":\"30d\"}},\"op\":\">=\",\"right\":2}},"
                + "{\"not\":{\"missing\":{\"trait\":\"phone\"}}},"
                + "{\"between\":{\"operand\":{\"days_since\":{\"stat\":\"last_order\"}},\"low\":1,\"high\":7}},"
                + "{\"in\":{\"operand\":{\"trait\":\"city\"},\"values\":[\"上海\"]}}]}");
    }

    @Test
    void readsWhatTheSegmentBuilderSends() {
        Condition c = read("""
                {"and": [
                  {"compare": {"left": {"stat": "avg_order_value"}, "op": ">", "right": 1000.50}},
                  {"not": {"in_segment": "dormant"}},
                  {"compare": {"left": {"sum": {"event": "Order Completed", "window": "90d"}}, "op": ">=", "right": 500}}
                ]}""");

        assertThat(c).isEqualTo(ConditionParser.parse(
                "avg_order_value > 1000.5 and not in_segment(\"dormant\") and sum(\"Order Completed\", 90d) >= 500"));
    }

    @Test
    void readsASingleChildGroupAsTheChild() {
        assertThat(read("{\"or\":[{\"has_tag\":\"vip\"}]}")).isEqualTo(new Condition.HasTag("vip"));
    }

    @Test
    void namesThePathOfAnUnknownOperator() {
        ConditionJsonError error = error("""
                {"and":[{"has_tag":"vip"},{"compare":{"left":{"trait":"age"},"op":"=>","right":1}}]}""");

        assertThat(error.path()).isEqualTo("and[1].compare.op");
        assertThat(error).hasMessage("and[1].compare.op: unknown operator \"=>\"; expected one of =, !=, <, <=, >, >=, contains, starts_with");
    }

    @Test
    void namesThePathOfAValueThatDoesNotSuitItsOperand() {
        ConditionJsonError error = error("""
                {"or":[{"has_tag":"vip"},{"not":{"compare":{"left":{"count":{"event":"X","window":"7d"}},"op":">=","right":"3"}}}]}""");

        assertThat(error.path()).isEqualTo("or[1].not.compare.right");
        assertThat(error.getMessage()).contains("is a number and needs a numeric comparison");
    }

    @Test
    void refusesUnknownPropertiesRatherThanIgnoringThem() {
        assertThat(error("{\"compare\":{\"left\":{\"trait\":\"age\"},\"op\":\">\",\"right\":1,\"rigth\":2}}").path())
                .isEqualTo("compare.rigth");
        assertThat(error("{\"has_tags\":\"vip\"}").path()).isEqualTo("has_tags");
        assertThat(error("{\"and\":[{\"missing\":{\"stat\":\"orders\"}}]}")).hasMessageStartingWith(
                "and[0].missing.stat: unknown stat 'orders'; expected one of order_count");
    }

    @Test
    void namesMissingAndMistypedFields() {
        assertThat(error("{\"compare\":{\"left\":{\"trait\":\"age\"},\"op\":\">\"}}")).hasMessage("compare.right: is required");
        assertThat(error("{\"in\":{\"operand\":{\"trait\":\"city\"},\"values\":[\"上海\",{}]}}")).hasMessage(
                "in.values[1]: expected a string, number or boolean but found OBJECT");
        assertThat(error("{\"compare\":{\"left\":{\"sum\":{\"event\":\"X\",\"window\":\"7y\"}},\"op\":\">\",\"right\":1}}").path())
                .isEqualTo("compare.left.sum.window");
        assertThat(error("[]").path()).isEqualTo("$");
        assertThat(error("{\"and\":[]}")).hasMessage("and: expected a non-empty array of conditions");
    }

    @Test
    void holdsToTheParserLimitsOnNestingAndPredicates() {
        String deep = "{\"not\":".repeat(51) + "{\"has_tag\":\"vip\"}" + "}".repeat(51);
        String wide = "{\"or\":[" + "{\"has_tag\":\"vip\"},".repeat(200) + "{\"has_tag\":\"x\"}]}";

        assertThat(error(deep)).hasMessage("not" + ".not".repeat(50) + ": nesting is deeper than 50 levels of and, or and not");
        assertThat(error(wide)).hasMessage("or[200].has_tag: a condition may test at most 200 predicates");
        assertThat(read("{\"not\":".repeat(50) + "{\"has_tag\":\"vip\"}" + "}".repeat(50))).isInstanceOf(Condition.Not.class);
    }

    private static Condition read(String json) {
        return ConditionJson.fromJson(tree(json));
    }

    private static ConditionJsonError error(String json) {
        return catchThrowableOfType(ConditionJsonError.class, () -> read(json));
    }

    private static JsonNode tree(String json) {
        return JSON.readTree(json);
    }
}
