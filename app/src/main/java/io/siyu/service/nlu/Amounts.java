package io.siyu.service.nlu;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Money in yuan: "199元", "¥59.9", "五十块", "两百五十块钱", "30 rmb". */
final class Amounts {

    private static final String NUMBER = "(\\d{1,9}(?:\\.\\d{1,2})?|[" + ChineseNumbers.ALL + "]{1,8})";
    private static final Pattern SUFFIXED = Pattern.compile(NUMBER + "\\s?(块钱|块|元钱|元|圆|rmb|yuan|cny)(?![a-z])");
    private static final Pattern PREFIXED = Pattern.compile("[¥￥]\\s?(\\d{1,9}(?:\\.\\d{1,2})?)");

    private Amounts() {}

    static void extract(String text, List<Entity> out) {
        Matcher m = SUFFIXED.matcher(text);
        while (m.find()) {
            add(m.group(1), m.start(), m.end(), out);
        }
        m = PREFIXED.matcher(text);
        while (m.find()) {
            add(m.group(1), m.start(), m.end(), out);
        }
    }

    private static void add(String number, int start, int end, List<Entity> out) {
        BigDecimal value;
        if (Character.isDigit(number.charAt(0))) {
            value = new BigDecimal(number);
        } else {
            int parsed = ChineseNumbers.parse(number);
            if (parsed < 0) {
                return;
            }
            value = BigDecimal.valueOf(parsed);
        }
        out.add(new Entity(Entity.AMOUNT, value.stripTrailingZeros().toPlainString(), start, end));
    }
}
