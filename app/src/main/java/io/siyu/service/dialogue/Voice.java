package io.siyu.service.dialogue;

/**
 * Which language the bot answers in: English when the person writes mostly Latin letters, Chinese
 * otherwise (Chinese first is the product rule; a person writing English gets English).
 */
record Voice(boolean english) {

    static Voice of(String text) {
        int latin = 0;
        int cjk = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                latin++;
            } else if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                cjk++;
            }
        }
        return new Voice(latin > 3 * cjk && latin >= 3);
    }

    String say(String chinese, String english) {
        return this.english ? english : chinese;
    }
}
