package io.siyu.service.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NormalisationAndSentimentTest {

    private final LanguageUnderstanding nlu = LanguageUnderstanding.bundled(Clock.systemUTC());

    @Property
    void normalisingNeverChangesTheLength(@ForAll String text) {
        assertThat(TextNormaliser.normalise(text)).hasSize(text.length());
    }

    @Test
    void foldsTraditionalFullWidthCaseAndTypos() {
        assertThat(TextNormaliser.normalise("請幫我查訂單")).isEqualTo("请帮我查订单");
        assertThat(TextNormaliser.normalise("ＨＥＬＬＯ？")).isEqualTo("hello?");
        assertThat(TextNormaliser.normalise("定单物留")).isEqualTo("订单物流");
    }

    @Test
    void traditionalAndSimplifiedMessagesGetTheSameIntent() {
        assertThat(nlu.understand("發票怎麼開").intent()).isEqualTo(nlu.understand("发票怎么开").intent()).isEqualTo("invoice");
    }

    @Test
    void veryShortMessagesAreUnderstood() {
        assertThat(nlu.understand("在吗").intent()).isEqualTo("greeting");
        assertThat(nlu.understand("转人工").intent()).isEqualTo("human_agent");
        assertThat(nlu.understand("谢谢").intent()).isEqualTo("goodbye");
    }

    @Test
    void offTopicChatFallsBackMoreOftenThanNot() {
        // calibrated threshold: these are not in the out-of-scope calibration list
        String[] offTopic = {"你喜欢吃火锅吗", "今天心情不太好想聊聊", "月亮离地球多远", "帮我算一下房贷"};
        long fallbacks = java.util.Arrays.stream(offTopic).filter(t -> !nlu.understand(t).confident()).count();
        assertThat(fallbacks).isGreaterThanOrEqualTo(3);
    }

    @Test
    void sentimentSeparatesAngerFromPlainDissatisfactionAndThanks() {
        assertThat(SentimentScorer.score(TextNormaliser.normalise("骗子！我要投诉你们")).label()).isEqualTo("angry");
        assertThat(SentimentScorer.score(TextNormaliser.normalise("有点失望，质量一般")).label()).isEqualTo("negative");
        assertThat(SentimentScorer.score(TextNormaliser.normalise("谢谢，服务很好👍")).label()).isEqualTo("positive");
        assertThat(SentimentScorer.score(TextNormaliser.normalise("我没有生气，不投诉")).label()).isNotEqualTo("angry");
        assertThat(SentimentScorer.score(TextNormaliser.normalise("什么时候发货")).label()).isEqualTo("neutral");
    }

    @Test
    void committedModelWasTrainedOnTheCommittedData() {
        assertThat(nlu.model().dataSha256()).as("retrain with ./siyu nlu-train after editing the data")
                .isEqualTo(TrainingData.bundled().sha256());
        assertThat(nlu.model().labels()).containsExactlyElementsOf(Intents.LABELS);
    }

    @Test
    void heldOutSplitIsNeverTrainedOnAndStaysAccurate() {
        TrainingData data = TrainingData.bundled();
        assertThat(data.train()).doesNotContainAnyElementsOf(data.heldOut());
        Evaluation eval = Evaluation.of(data.heldOut(), t -> LanguageUnderstanding.classify(nlu.model(), t).intent());
        assertThat(eval.accuracy()).isGreaterThan(0.8);
        assertThat(eval.macroF1()).isGreaterThan(0.8);
    }
}
