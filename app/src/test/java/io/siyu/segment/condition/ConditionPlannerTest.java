package io.siyu.segment.condition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ConditionPlannerTest {

    @Test
    void putsTagsFirstTraitsNextAndWindowedCountsLast() {
        Condition written = ConditionParser.parse("count(\"Order Completed\", 365d) >= 3 and days_since(last_order) > 30"
                + " and age between 25 and 30 and not in_segment(\"dormant\")"
                + " and (count(\"Product Viewed\" where category = \"母婴\", 30d) >= 2 or has_tag(\"mom\"))");

        assertThat(ConditionPlanner.order(written).toText()).isEqualTo("not in_segment(\"dormant\") and age between 25 and 30"
                + " and days_since(last_order) > 30 and count(\"Order Completed\", 365d) >= 3"
                + " and (has_tag(\"mom\") or count(\"Product Viewed\" where category = \"母婴\", 30d) >= 2)");
    }

    @Test
    void keepsTheWrittenOrderBetweenEquallyCheapChildren() {
        Condition written = ConditionParser.parse("city = \"上海\" or gender = \"female\" or age > 3");

        assertThat(ConditionPlanner.order(written)).isEqualTo(written);
    }

    @Test
    void theConditionLanguageIsSpringFree() {
        noClasses().that().resideInAPackage("io.siyu.segment.condition")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("conditions are evaluated on the engine's hot path, embedded and in a stream processor alike")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.siyu.segment.condition"));
    }
}
