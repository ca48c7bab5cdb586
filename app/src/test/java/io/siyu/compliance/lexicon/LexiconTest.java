package io.siyu.compliance.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.action.ContentGate.Finding;
import io.siyu.action.ContentGate.Result;
import io.siyu.action.ContentGate.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexiconTest {

    private final Lexicon shipped = Lexicon.of(ShippedLexicon.entries());

    @Test
    void blocksAnAbsoluteTermAndReportsItsSpanInTheOriginalText() {
        Result result = shipped.check("这款面霜是最佳选择");
        assertThat(result.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(result.findings()).contains(new Finding("advertising", "最佳", 5, 7, "ad-law.absolute"));
    }

    @Test
    void seesThroughSeparatorsWidthCaseAndTraditionalCharacters() {
        String text = "全網 最－低！國家級 ＮＯ．１ 穩\u200b賺不賠";
        Result result = shipped.check(text);
        assertThat(result.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(terms(result)).contains("全网最低", "国家级", "no1", "稳赚不赔");
        Finding lowest = result.findings().stream().filter(f -> f.term().equals("全网最低")).findFirst().orElseThrow();
        assertThat(text.substring(lowest.start(), lowest.end())).isEqualTo("全網 最－低");
        Finding promise = result.findings().stream().filter(f -> f.term().equals("稳赚不赔")).findFirst().orElseThrow();
        assertThat(text.substring(promise.start(), promise.end())).isEqualTo("穩\u200b賺不賠");
    }

    @Test
    void harmlessUsesAreAllowed() {
        assertThat(shipped.check("第一次下单的朋友，最近上新，第一时间通知您，活动最后一天").verdict()).isEqualTo(Verdict.PASS);
        assertThat(shipped.check("这是我们唯一的联系方式").verdict()).isEqualTo(Verdict.PASS);
        assertThat(shipped.check("面料100%纯棉").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void anAllowedPhraseDoesNotExcuseTheSameTermElsewhere() {
        Result result = shipped.check("第一次购买就选第一的品牌");
        assertThat(result.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(result.findings()).containsExactly(new Finding("advertising", "第一", 7, 9, "ad-law.absolute"));
    }

    @Test
    void aTermInsideALongerFindingAtLeastAsSevereIsNotRepeated() {
        assertThat(shipped.check("销量第一").findings()).containsExactly(
                new Finding("advertising", "销量第一", 0, 4, "ad-law.absolute"));
        // a weaker finding does not hide a stronger one inside it
        List<Entry> entries = new ArrayList<>(ShippedLexicon.entries());
        entries.add(Entry.flag("最佳之选", "tenant", "tenant:soft", Verdict.REVIEW));
        assertThat(Lexicon.of(entries).check("最佳之选").findings()).extracting(Finding::term).containsExactly("最佳", "最佳之选");
    }

    @Test
    void aLoneSuperlativeGoesToReview() {
        Result result = shipped.check("今年夏天最火的颜色");
        assertThat(result.verdict()).isEqualTo(Verdict.REVIEW);
        assertThat(result.findings()).containsExactly(new Finding("advertising", "最", 4, 5, "ad-law.absolute-weak"));
    }

    @Test
    void medicalAndFinancialPromisesAreBlocked() {
        assertThat(shipped.check("本品包治百病，药到病除").findings()).extracting(Finding::category).containsOnly("medical");
        assertThat(shipped.check("保本高息，零风险").verdict()).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void aReturnFigureWithoutTheDisclaimerNeedsReview() {
        String text = "本理财产品预期年化收益 4.5% ，欢迎咨询";
        Result result = shipped.check(text);
        assertThat(result.verdict()).isEqualTo(Verdict.REVIEW);
        Finding figure = result.findings().getFirst();
        assertThat(figure.rule()).isEqualTo(Lexicon.RETURN_FIGURE_RULE);
        assertThat(text.substring(figure.start(), figure.end())).isEqualTo("4.5%");
        assertThat(figure.term()).isEqualTo("4.5%");
    }

    @Test
    void theDisclaimerLetsReturnFiguresStandAndIsNotItselfAPromise() {
        Result result = shipped.check("业绩比较基准年化收益 4.5%（非保证收益，理财有风险）");
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void aPercentageFarFromAnyReturnWordIsNoReturnFigure() {
        String filler = "这是一段很长的介绍文字，讲述我们的品牌故事和门店服务，没有提到任何财务信息。";
        assertThat(shipped.check("收益说明见下文。" + filler + "全场商品打8折，满减20%").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void textWithoutTermsPasses() {
        assertThat(shipped.check("欢迎光临，新品已上架").verdict()).isEqualTo(Verdict.PASS);
        assertThat(shipped.check("").findings()).isEmpty();
        assertThat(shipped.check("   \u200b\u3000。，").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void hostileRepetitionStaysBoundedAndFast() {
        String text = "第一".repeat(50_000);
        long started = System.nanoTime();
        Result result = shipped.check(text);
        assertThat(result.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(result.findings()).hasSize(Lexicon.MAX_FINDINGS);
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
        String cues = "收益1%".repeat(20_000);
        assertThat(shipped.check(cues).verdict()).isEqualTo(Verdict.REVIEW);
    }

    @Test
    void emojiAndLoneSurrogatesBetweenCharactersDoNotHideATerm() {
        String text = "最\uD83D\uDE00佳 and \uD800";
        Result result = shipped.check(text);
        assertThat(terms(result)).contains("最佳");
    }

    @Test
    void aTenantListAddsItsOwnTerms() {
        List<Entry> entries = new ArrayList<>(ShippedLexicon.entries());
        entries.add(Entry.flag("竞品A", "tenant", "tenant:competitors", Verdict.REVIEW));
        Lexicon lexicon = Lexicon.of(entries);
        assertThat(lexicon.check("比竞品ａ更好用").findings())
                .containsExactly(new Finding("tenant", "竞品A", 1, 4, "tenant:competitors"));
    }

    @Test
    void aReturnFigureCountsWithinTwentyFourCharactersOfTheCueAndNotBeyond() {
        assertThat(shipped.check("收益" + "好".repeat(23) + "5%").verdict()).isEqualTo(Verdict.REVIEW);
        assertThat(shipped.check("收益" + "好".repeat(24) + "5%").verdict()).isEqualTo(Verdict.PASS);
        assertThat(shipped.check("5%" + "好".repeat(23) + "收益").verdict()).isEqualTo(Verdict.REVIEW);
        assertThat(shipped.check("5%" + "好".repeat(24) + "收益").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aLongTextGetsItsOwnBuffersAndStillReportsOriginalOffsets() {
        String text = "好，".repeat(Lexicon.POOLED_LENGTH) + "最佳";
        Result result = shipped.check(text);
        assertThat(result.findings()).containsExactly(
                new Finding("advertising", "最佳", text.length() - 2, text.length(), "ad-law.absolute"));
        assertThat(shipped.check("最佳").findings()).extracting(Finding::start).containsExactly(0);
    }

    private static List<String> terms(Result result) {
        return result.findings().stream().map(Finding::term).toList();
    }
}
