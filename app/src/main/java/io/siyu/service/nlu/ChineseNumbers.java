package io.siyu.service.nlu;

/** Chinese numerals as people type them in chat ("三", "十五", "两百五", "一千二百"), up to 99,999. */
final class ChineseNumbers {

    static final String DIGITS = "零〇一二两三四五六七八九";
    static final String UNITS = "十百千万";
    static final String ALL = DIGITS + UNITS;

    private ChineseNumbers() {}

    static boolean isNumeral(char c) {
        return ALL.indexOf(c) >= 0;
    }

    static int digit(char c) {
        return switch (c) {
            case '零', '〇' -> 0;
            case '一' -> 1;
            case '二', '两' -> 2;
            case '三' -> 3;
            case '四' -> 4;
            case '五' -> 5;
            case '六' -> 6;
            case '七' -> 7;
            case '八' -> 8;
            case '九' -> 9;
            default -> -1;
        };
    }

    /**
     * The value of {@code s}, or -1 when it is not a well-formed numeral. Handles a trailing digit
     * after a unit as the next lower unit ("两百五" = 250, "一万二" = 12,000).
     */
    static int parse(CharSequence s) {
        if (s.isEmpty()) {
            return -1;
        }
        int total = 0;
        int section = 0;
        int pending = -1;
        int lastUnit = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d = digit(c);
            if (d >= 0) {
                pending = pending > 0 && d > 0 ? pending * 10 + d : d;
                continue;
            }
            int unit = switch (c) {
                case '十' -> 10;
                case '百' -> 100;
                case '千' -> 1000;
                case '万' -> 10_000;
                default -> 0;
            };
            if (unit == 0) {
                return -1;
            }
            if (unit == 10_000) {
                total += (section + Math.max(pending, 0)) * 10_000;
                section = 0;
            } else {
                section += (pending < 0 ? 1 : pending) * unit;
            }
            pending = -1;
            lastUnit = unit;
        }
        if (pending > 0) {
            // "两百五": a lone digit after a unit counts in the next lower unit.
            boolean elided = lastUnit >= 100 && pending < 10 && s.length() >= 2 && digit(s.charAt(s.length() - 2)) < 0;
            section += elided ? pending * (lastUnit == 10_000 ? 1000 : lastUnit / 10) : pending;
        }
        return total + section;
    }
}
