package io.siyu.service.nlu;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.PayloadTooLarge;
import org.jspecify.annotations.Nullable;

/** The rules every incoming message text obeys, wherever it arrives (NLU API, conversations, agent replies). */
public final class MessageText {

    private MessageText() {}

    /** The text itself; a 400 problem when it is missing or blank, a 413 when longer than {@link LanguageUnderstanding#MAX_CHARS}. */
    public static String require(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("text", "required", "text 不能为空 / text is required");
        }
        if (text.length() > LanguageUnderstanding.MAX_CHARS) {
            throw new PayloadTooLarge("text", LanguageUnderstanding.MAX_CHARS,
                    "消息过长，最多 " + LanguageUnderstanding.MAX_CHARS + " 个字符 / text is longer than " + LanguageUnderstanding.MAX_CHARS + " chars");
        }
        return text;
    }
}
