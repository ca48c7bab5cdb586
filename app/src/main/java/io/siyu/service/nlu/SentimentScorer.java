package io.siyu.service.nlu;

/**
 * Lexicon sentiment for service chat. Weighted cue words (insults, threats to report, "气死",
 * angry emoji) add to an anger score; dissatisfaction words to a negative score; thanks and praise
 * to a positive score. A negator just before a cue flips praise ("不好") and cancels complaints
 * ("不生气"); repeated "!" and "?" intensify. A lexicon is chosen over a trained model because the
 * cues of anger in service chat are few and explicit, and a reviewer can read and extend the list.
 */
public final class SentimentScorer {

    private static final String[] ANGER = {
            "投诉", "12315", "消协", "曝光", "举报", "起诉", "律师", "骗子", "骗人", "欺诈", "诈骗", "垃圾", "气死", "恶心",
            "滚", "傻", "他妈", "妈的", "tmd", "特么", "坑人", "黑心", "无良", "差评", "受够了", "忍无可忍", "退钱",
            "倒闭", "什么破", "破东西", "怒", "虚假宣传", "工商局", "太过分", "过分了", "敷衍", "scam", "fraud", "ridiculous", "unacceptable", "worst", "disgusting",
            "reporting you", "report you", "report this", "consumer protection", "angry", "furious", "wtf", "黑猫"};
    private static final String[] NEGATIVE = {
            "差", "烂", "失望", "不满", "无语", "太慢", "慢死", "没人理", "没人回", "不处理", "敷衍", "推来推去", "坏了",
            "破损", "假货", "质量问题", "问题", "错了", "不行", "难用", "郁闷", "着急", "急死", "哭", "还没", "一直",
            "bad", "terrible", "poor", "broken", "wrong", "slow", "disappointed", "not working", "failed", "never"};
    private static final String[] POSITIVE = {
            "谢谢", "感谢", "多谢", "好评", "满意", "喜欢", "不错", "很好", "棒", "赞", "给力", "开心", "辛苦了", "完美",
            "thanks", "thank you", "great", "love", "perfect", "awesome", "good", "nice", "happy"};
    private static final String NEGATORS = "不没别非";

    private SentimentScorer() {}

    /** Scores the normalised text (see {@link TextNormaliser}). */
    public static Sentiment score(String normalised) {
        double anger = sum(normalised, ANGER, 1.0, true);
        double negative = sum(normalised, NEGATIVE, 0.5, true);
        double positive = sum(normalised, POSITIVE, 0.6, false);
        int bangs = count(normalised, '!') + count(normalised, '?') / 2;
        double intensity = 1 + Math.min(bangs, 4) * 0.15;
        if (anger > 0) {
            anger *= intensity;
        } else {
            negative *= intensity;
        }
        double raw = positive - negative - 1.5 * anger;
        double score = Math.tanh(raw);
        if (anger >= 0.9) {
            return new Sentiment(Sentiment.ANGRY, round(Math.min(score, -0.6)));
        }
        if (score <= -0.25) {
            return new Sentiment(Sentiment.NEGATIVE, round(score));
        }
        if (score >= 0.25) {
            return new Sentiment(Sentiment.POSITIVE, round(score));
        }
        return new Sentiment(Sentiment.NEUTRAL, round(score));
    }

    /** Weighted count of cues; a negator right before a cue removes it (and turns praise into a complaint). */
    private static double sum(String text, String[] cues, double weight, boolean negatorCancels) {
        double total = 0;
        for (String cue : cues) {
            int from = 0;
            int at;
            while ((at = text.indexOf(cue, from)) >= 0) {
                boolean negated = at > 0 && NEGATORS.indexOf(text.charAt(at - 1)) >= 0
                        || at > 1 && text.startsWith("不是", at - 2);
                if (!negated) {
                    total += weight;
                } else if (!negatorCancels) {
                    total -= weight * 1.5; // "不满意", "不喜欢": praise negated is dissatisfaction
                }
                from = at + cue.length();
            }
        }
        return total;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
