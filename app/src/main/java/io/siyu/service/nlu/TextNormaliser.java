package io.siyu.service.nlu;

import java.util.Map;

/**
 * Folds the surface variety of chat text onto one form without changing its length, so every
 * offset in the normalised text is an offset in what the person wrote (entities report those):
 * full-width → half-width, upper → lower case, common traditional → simplified characters,
 * frequent typos of service words → their correct form, emoji → a mood character or a space.
 */
public final class TextNormaliser {

    private static final char[] SIMPLIFIED = new char[0x10000];

    /** Same-length typo repairs; longer keys first is not needed because keys never overlap. */
    private static final String[][] TYPOS = {
            {"定单", "订单"}, {"物留", "物流"}, {"快第", "快递"}, {"退宽", "退款"}, {"退欵", "退款"},
            {"优惠卷", "优惠券"}, {"代金卷", "代金券"}, {"发漂", "发票"}, {"积份", "积分"}, {"密马", "密码"},
            {"登陆", "登录"}, {"在么", "在吗"}, {"在嘛", "在吗"}, {"客福", "客服"}, {"转人公", "转人工"},
            {"换贷", "换货"}, {"退贷", "退货"}, {"发贷", "发货"}, {"到帐", "到账"}, {"帐号", "账号"},
            {"帐户", "账户"}, {"收获地址", "收货地址"}, {"库从", "库存"}, {"优慧", "优惠"}, {"付欵", "付款"}};

    static {
        for (int c = 0; c < SIMPLIFIED.length; c++) {
            SIMPLIFIED[c] = (char) c;
        }
        String[] pairs = Traditional.PAIRS.split(" ");
        for (String pair : pairs) {
            if (pair.length() == 2) {
                SIMPLIFIED[pair.charAt(0)] = pair.charAt(1);
            }
        }
    }

    /** Marks the mood of an emoji so the intent and sentiment models can use it. */
    static final char ANGRY = '怒';
    static final char SAD = '哭';
    static final char HAPPY = '赞';

    private static final Map<Integer, Character> EMOJI_MOODS = Map.ofEntries(
            Map.entry(0x1F621, ANGRY), Map.entry(0x1F620, ANGRY), Map.entry(0x1F92C, ANGRY), Map.entry(0x1F4A2, ANGRY),
            Map.entry(0x1F624, ANGRY), Map.entry(0x1F47F, ANGRY), Map.entry(0x1F595, ANGRY),
            Map.entry(0x1F62D, SAD), Map.entry(0x1F622, SAD), Map.entry(0x1F61E, SAD), Map.entry(0x1F614, SAD),
            Map.entry(0x1F44D, HAPPY), Map.entry(0x1F60A, HAPPY), Map.entry(0x1F604, HAPPY), Map.entry(0x2764, HAPPY),
            Map.entry(0x1F970, HAPPY), Map.entry(0x1F601, HAPPY));

    private TextNormaliser() {}

    /** The normalised form of {@code text}; always {@code text.length()} chars long. */
    public static String normalise(String text) {
        char[] out = new char[text.length()];
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(i + 1));
                Character mood = EMOJI_MOODS.get(cp);
                out[i] = mood == null ? ' ' : mood;
                out[i + 1] = ' ';
                i += 2;
                continue;
            }
            out[i++] = fold(c);
        }
        String folded = new String(out);
        for (String[] typo : TYPOS) {
            if (folded.contains(typo[0])) {
                folded = folded.replace(typo[0], typo[1]);
            }
        }
        return folded;
    }

    private static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        if (c >= 0xFF01 && c <= 0xFF5E) { // full-width ASCII
            char half = (char) (c - 0xFEE0);
            return half >= 'A' && half <= 'Z' ? (char) (half + 32) : half;
        }
        if (c == 0x3000 || c == 0xFE0F || c == 0x200D || Character.isSurrogate(c)) {
            return ' ';
        }
        if (c == '。' || c == '、') {
            return ',';
        }
        if ("“”‘’「」【】《》～…—".indexOf(c) >= 0) {
            return ' ';
        }
        Character mood = EMOJI_MOODS.get((int) c);
        if (mood != null) {
            return mood;
        }
        int type = Character.getType(c);
        if (type == Character.OTHER_SYMBOL || type == Character.MATH_SYMBOL && c > 0x2000) {
            return ' ';
        }
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : SIMPLIFIED[c];
    }
}
