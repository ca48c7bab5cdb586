package io.siyu.service.nlu;

import java.util.List;

/**
 * Order numbers and mobile phone numbers: runs of letters and digits that look like one or the
 * other. A mainland mobile is 11 digits starting 13–19 (optionally after +86); an order number is
 * 0–4 letters then 8–24 digits, or 6–7 digits right after a word that names an order.
 */
final class Identifiers {

    private static final String[] ORDER_CUES = {"订单号", "订单", "单号", "order", "#"};

    private Identifiers() {}

    static void extract(String text, List<Entity> out) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isAlnum(c) || i > 0 && isAlnum(text.charAt(i - 1))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && (isAlnum(text.charAt(end)) || text.charAt(end) == '-' && end + 1 < n && isDigit(text.charAt(end + 1)))) {
                end++;
            }
            classify(text, i, end, out);
            i = end;
        }
    }

    private static void classify(String text, int start, int end, List<Entity> out) {
        int letters = 0;
        while (start + letters < end && isLetter(text.charAt(start + letters))) {
            letters++;
        }
        int digits = 0;
        StringBuilder value = new StringBuilder(end - start);
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            if (k >= start + letters) {
                if (isDigit(c)) {
                    digits++;
                } else if (c != '-') {
                    return; // letters after digits: a model name such as "iphone15pro", not an identifier
                }
            }
            if (c != '-') {
                value.append(Character.toUpperCase(c));
            }
        }
        if (letters > 4 || digits == 0) {
            return;
        }
        int digitStart = start + letters;
        boolean plus86 = letters == 0 && digits == 13 && text.startsWith("86", digitStart);
        if (letters == 0 && (digits == 11 || plus86)) {
            String phone = value.substring(plus86 ? 2 : 0);
            if (phone.charAt(0) == '1' && phone.charAt(1) >= '3' && phone.charAt(1) <= '9' && !cued(text, start)) {
                int s = start > 0 && text.charAt(start - 1) == '+' ? start - 1 : start;
                out.add(new Entity(Entity.PHONE, phone, s, end));
                return;
            }
        }
        if (digits >= 8 && digits <= 24 || digits >= 6 && cued(text, start)) {
            out.add(new Entity(Entity.ORDER_NUMBER, value.toString(), start, end));
        }
    }

    /** Whether a word naming an order stands just before {@code start} (spaces and colons between are fine). */
    private static boolean cued(String text, int start) {
        int k = start;
        while (k > 0 && " :,是为".indexOf(text.charAt(k - 1)) >= 0) {
            k--;
        }
        for (String cue : ORDER_CUES) {
            if (k >= cue.length() && text.startsWith(cue, k - cue.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }
}
