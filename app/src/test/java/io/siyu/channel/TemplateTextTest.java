package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;

class TemplateTextTest {

    @Test
    void rendersChineseTextWithVariablesDefaultsAndNestedValues() {
        TemplateText text = TemplateText.parse("亲爱的{{ name | 会员 }}，您在{{traits.city}}的{{coupon_code}}已到账");
        String out = text.render(Map.of("coupon_code", "CP-88", "traits", Map.of("city", "杭州")), UnaryOperator.identity());
        assertThat(out).isEqualTo("亲爱的会员，您在杭州的CP-88已到账");
        assertThat(text.variables()).containsExactly("name", "traits.city", "coupon_code");
    }

    @Test
    void namesEveryMissingVariableWithoutADefault() {
        TemplateText text = TemplateText.parse("{{a}}{{b|x}}{{c}}");
        assertThatThrownBy(() -> text.render(Map.of(), UnaryOperator.identity()))
                .isInstanceOfSatisfying(TemplateText.MissingVariables.class, e -> assertThat(e.names()).containsExactly("a", "c"));
    }

    @Test
    void escapesValuesButNotTheTemplateForHtml() {
        String out = TemplateText.parse("<b>{{name}}</b>").render(Map.of("name", "<script>x</script>"), HtmlUtils::htmlEscape);
        assertThat(out).isEqualTo("<b>&lt;script&gt;x&lt;/script&gt;</b>");
    }

    @Test
    void refusesUnclosedAndMalformedVariables() {
        assertThatThrownBy(() -> TemplateText.parse("你好 {{name")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> TemplateText.parse("{{ 1abc }}")).hasMessageContaining("not a variable name");
        assertThatThrownBy(() -> TemplateText.parse("x".repeat(TemplateText.MAX_LENGTH + 1))).hasMessageContaining("longer");
    }

    @Test
    void listsJoinWithTheChineseEnumerationComma() {
        assertThat(TemplateText.parse("{{tags}}").render(Map.of("tags", java.util.List.of("高价值", "新客")), UnaryOperator.identity()))
                .isEqualTo("高价值、新客");
    }
}
