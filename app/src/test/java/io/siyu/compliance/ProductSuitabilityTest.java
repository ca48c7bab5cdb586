package io.siyu.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductSuitabilityTest {

    @Test
    void aProductAboveThePersonsAssessmentIsNeverSuitable() {
        for (RiskLevel product : RiskLevel.values()) {
            for (RiskLevel person : RiskLevel.values()) {
                Suitability answer = ProductSuitability.judge(product, person);
                assertThat(answer.allowed()).as(product + " for " + person).isEqualTo(product.rank() <= person.rank());
                if (!answer.allowed()) {
                    assertThat(((Suitability.Unsuitable) answer).reason()).isEqualTo("risk:above-assessment:" + product + ">" + person);
                }
            }
        }
    }

    @Test
    void withoutAnAssessmentOnlyTheLowestRiskIsSuitable() {
        assertThat(ProductSuitability.judge(RiskLevel.R1, null).allowed()).isTrue();
        assertThat(ProductSuitability.judge(RiskLevel.R2, null)).isEqualTo(new Suitability.Unsuitable("risk:no-assessment"));
    }

    @Test
    void readsAssessmentsAsPeopleAndSystemsWriteThem() {
        assertThat(RiskLevel.parse("C3")).contains(RiskLevel.R3);
        assertThat(RiskLevel.parse(" r5 ")).contains(RiskLevel.R5);
        assertThat(RiskLevel.parse("2")).contains(RiskLevel.R2);
        assertThat(RiskLevel.parse(4)).contains(RiskLevel.R4);
        assertThat(RiskLevel.parse(4.0)).contains(RiskLevel.R4);
        assertThat(RiskLevel.parse(4.5)).isEmpty();
        assertThat(RiskLevel.parse("C6")).isEmpty();
        assertThat(RiskLevel.parse("R")).isEmpty();
        assertThat(RiskLevel.parse("")).isEmpty();
        assertThat(RiskLevel.parse(null)).isEqualTo(Optional.empty());
        assertThat(RiskLevel.parse(true)).isEmpty();
    }
}
