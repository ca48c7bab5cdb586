package io.siyu.segment.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Properties of the condition language over random conditions, people and hostile text. */
class ConditionProperties {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 1000)
    void printedTextParsesBackToTheSameCondition(@ForAll("conditions") Condition condition) {
        assertThat(ConditionParser.parse(condition.toText())).isEqualTo(condition);
    }

    @Property(tries = 1000)
    void jsonReadsBackToTheSameConditionAlsoThroughText(@ForAll("conditions") Condition condition) throws Exception {
        JsonNode json = ConditionJson.toJson(condition);
        assertThat(ConditionJson.fromJson(json)).isEqualTo(condition);
        assertThat(ConditionJson.fromJson(JSON.readTree(JSON.writeValueAsString(json)))).isEqualTo(condition);
    }

    @Property(tries = 2000)
    void evaluatorAgreesWithTheReferenceEvaluator(@ForAll("conditions") Condition condition, @ForAll("people") TestPerson person) {
        boolean expected = ReferenceEvaluator.evaluate(condition, person);
        assertThat(ConditionEvaluator.evaluate(condition, new TestPersonFacts(person)))
                .as("%s on %s", condition.toText(), person)
                .isEqualTo(expected);
        // Both outcomes must be common, or agreement would say little.
        Statistics.label("outcome").collect(expected).coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 15);
            coverage.check(false).percentage(p -> p > 15);
        });
    }

    @Property(tries = 1000)
    void plannedConditionsDecideLikeTheWrittenOnes(@ForAll("conditions") Condition condition, @ForAll("people") TestPerson person) {
        Condition planned = ConditionPlanner.order(condition);
        assertThat(ConditionPlanner.cost(planned)).isEqualTo(ConditionPlanner.cost(condition));
        assertThat(ConditionEvaluator.evaluate(planned, new TestPersonFacts(person)))
                .isEqualTo(ConditionEvaluator.evaluate(condition, new TestPersonFacts(person)));
    }

    @Property(tries = 500)
    void plannedAndAndOrChildrenAreCheapestFirst(@ForAll("conditions") Condition condition) {
        assertCheapestFirst(ConditionPlanner.order(condition));
    }

    @Property(tries = 3000)
    void parserThrowsOnlySyntaxErrorsOnHostileText(@ForAll("hostile") String text) {
        Throwable thrown = catchThrowable(() -> ConditionParser.parse(text));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(ConditionSyntaxError.class);
            ConditionSyntaxError error = (ConditionSyntaxError) thrown;
            assertThat(error.line()).isPositive();
            assertThat(error.column()).isPositive();
            assertThat(error.getMessage()).startsWith(error.line() + ":" + error.column() + ": ");
        }
    }

    @Property(tries = 1000)
    void parserThrowsOnlySyntaxErrorsOnMutatedConditions(@ForAll("conditions") Condition condition,
            @ForAll("fragments") String fragment, @ForAll long seed) {
        String text = condition.toText();
        Random random = new Random(seed);
        int at = random.nextInt(text.length() + 1);
        int cut = Math.min(text.length(), at + random.nextInt(4));
        String mutated = text.substring(0, at) + fragment + text.substring(cut);
        Throwable thrown = catchThrowable(() -> ConditionParser.parse(mutated));
        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(ConditionSyntaxError.class));
    }

    private static void assertCheapestFirst(Condition condition) {
        List<Condition> children = switch (condition) {
            case Condition.And and -> and.children();
            case Condition.Or or -> or.children();
            case Condition.Not not -> List.of(not.child());
            default -> List.of();
        };
        for (int i = 1; i < children.size() && !(condition instanceof Condition.Not); i++) {
            assertThat(ConditionPlanner.cost(children.get(i - 1))).isLessThanOrEqualTo(ConditionPlanner.cost(children.get(i)));
        }
        children.forEach(ConditionProperties::assertCheapestFirst);
    }

    @Provide
    Arbitrary<Condition> conditions() {
        return Arbitraries.randomValue(random -> new RandomConditions(random).condition(3));
    }

    @Provide
    Arbitrary<TestPerson> people() {
        return Arbitraries.randomValue(random -> new RandomConditions(random).person());
    }

    @Provide
    Arbitrary<String> fragments() {
        return Arbitraries.of("(", ")", "\"", "\\", "\\u12", "\\uzzzz", ",", "-", "--1", "1e5", "1.", ".5", "30x", "0d",
                "999999d", "not", "and", "or", "!", "&&", "||", "=", "!==", "<>", "is", "in", "between", "where",
                "count(", "sum(", "days_since(", "trait(", "has_tag(", "会员", "\n", "\t", "\u0000", "\uD800", "", " ",
                "1".repeat(60), "\"\"", "trait(\"\")");
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> tokens = fragments().list().ofMaxSize(40).map(list -> String.join(" ", list));
        Arbitrary<String> glued = fragments().list().ofMaxSize(40).map(list -> String.join("", list));
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> grammar = Arbitraries.strings().withChars("()\"\\,-.=!<>&|abdhinorstw 0123456789会").ofMaxLength(120);
        Arbitrary<String> deep = Arbitraries.integers().between(40, 3000).flatMap(n -> Arbitraries.of(
                "(".repeat(n) + "a = 1" + ")".repeat(n), "not ".repeat(n) + "a = 1", "! ".repeat(n) + "a = 1",
                "a = 1 and ".repeat(n) + "b = 2", "a in (" + "1, ".repeat(n) + "2)", "\"" + "\\\\".repeat(n * 3) + "\"",
                "x".repeat(n * 4), "days_since(".repeat(n)));
        return Arbitraries.oneOf(tokens, glued, anything, grammar, deep);
    }
}
