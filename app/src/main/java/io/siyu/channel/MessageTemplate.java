package io.siyu.channel;

import org.jspecify.annotations.Nullable;

/**
 * A saved template for one channel.
 *
 * @param subject e-mail subject or inbox title (may hold variables); null for channels without one
 * @param marketing false for service messages (order notices), which the send policy treats
 *     differently (no marketing consent, no caps)
 */
public record MessageTemplate(String name, String channel, @Nullable String subject, String body, boolean marketing) {

    public TemplateText bodyText() {
        return TemplateText.parse(body);
    }

    public @Nullable TemplateText subjectText() {
        return subject == null ? null : TemplateText.parse(subject);
    }
}
