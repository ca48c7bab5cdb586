package io.siyu.channel;

import io.siyu.platform.TenantId;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Renders a template for its channel: e-mail bodies are HTML, so values are escaped, links become
 * tracked redirects and an open pixel is appended; SMS is plain text held to what one provider
 * request may carry; official-account messages are field lines checked as an {@link MpMessage}; the inbox and WeCom get plain text; webhooks get the text inside their JSON.
 */
@Component
public class Rendering {

    /** A rendered message. */
    public record Rendered(@Nullable String subject, String body) {}

    /** SMS text past this is refused: carriers split at 70 characters and providers cap at ~500. */
    static final int SMS_MAX = 500;

    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");

    /** Parsed texts by their source: a broadcast renders one template a million times. Bounded by the templates saved. */
    private final java.util.concurrent.ConcurrentHashMap<String, TemplateText> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    private final Tracking tracking;

    Rendering(Tracking tracking) {
        this.tracking = tracking;
    }

    private TemplateText parsed(String text) {
        TemplateText cached = parsed.get(text);
        if (cached != null) {
            return cached;
        }
        TemplateText fresh = TemplateText.parse(text);
        if (parsed.size() < 10_000) {
            parsed.put(text, fresh);
        }
        return fresh;
    }

    /**
     * Whether the template's subject or body uses {@code variable}.
     *
     * @throws IllegalArgumentException when the template text is malformed
     */
    public boolean uses(MessageTemplate template, String variable) {
        return parsed(template.body()).variables().contains(variable)
                || template.subject() != null && parsed(template.subject()).variables().contains(variable);
    }

    /**
     * @param messageId the outbox id the tracking links refer to
     * @throws TemplateText.MissingVariables when a variable without a default has no value
     * @throws IllegalArgumentException when the rendered text breaks the channel's limits
     */
    public Rendered render(TenantId tenant, MessageTemplate template, Map<String, ?> values, String messageId) {
        TemplateText subjectText = template.subject() == null ? null : parsed(template.subject());
        TemplateText bodyText = parsed(template.body());
        String subject = subjectText == null ? null : subjectText.render(values, UnaryOperator.identity());
        return switch (template.channel()) {
            case "email" -> new Rendered(subject, email(tenant, bodyText.render(values, HtmlUtils::htmlEscape), messageId));
            case "sms" -> {
                String text = bodyText.render(values, UnaryOperator.identity());
                if (text.length() > SMS_MAX) {
                    throw new IllegalArgumentException("SMS text is " + text.length() + " characters, more than " + SMS_MAX);
                }
                yield new Rendered(null, text);
            }
            case "wechat-mp" -> {
                // one field per line: a value with a line break would add a field, so breaks become spaces
                String text = bodyText.render(values, v -> v.replace('\r', ' ').replace('\n', ' '));
                MpMessage.parse(subject, text);
                yield new Rendered(subject, text);
            }
            default -> new Rendered(subject, bodyText.render(values, UnaryOperator.identity()));
        };
    }

    private String email(TenantId tenant, String html, String messageId) {
        Matcher links = HREF.matcher(html);
        StringBuilder out = new StringBuilder();
        while (links.find()) {
            String target = HtmlUtils.htmlUnescape(links.group(1));
            links.appendReplacement(out, Matcher.quoteReplacement(
                    "href=\"" + HtmlUtils.htmlEscape(tracking.clickUrl(tenant, messageId, target)) + "\""));
        }
        links.appendTail(out);
        return out + "<img src=\"" + HtmlUtils.htmlEscape(tracking.pixelUrl(tenant, messageId))
                + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
    }
}
