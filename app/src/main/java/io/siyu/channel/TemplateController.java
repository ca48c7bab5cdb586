package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Message templates: save, list, and preview with sample variables. */
@RestController
@RequestMapping("/api/v1/message-templates")
class TemplateController {

    record Body(@Nullable String channel, @Nullable String subject, @Nullable String body, @Nullable Boolean marketing) {}

    record Preview(@Nullable Map<String, Object> variables) {}

    private final MessageTemplates templates;
    private final Dispatcher dispatcher;
    private final Channels channels;

    TemplateController(MessageTemplates templates, Dispatcher dispatcher, Channels channels) {
        this.templates = templates;
        this.dispatcher = dispatcher;
        this.channels = channels;
    }

    @PutMapping("/{name}")
    Map<String, Object> save(TenantId tenant, @PathVariable String name, @RequestBody Body body) {
        Names.require("name", name);
        String channel = Names.require("channel", body.channel());
        if (channels.describe().stream().noneMatch(d -> d.id().equals(channel))) {
            throw new InvalidInput("channel", "known", "unknown channel '" + channel + "'; known: "
                    + channels.describe().stream().map(Channels.Described::id).toList());
        }
        String text = Names.text("body", body.body(), TemplateText.MAX_LENGTH);
        if (body.subject() != null && body.subject().length() > 500) {
            throw new InvalidInput("subject", "max-length", "subject must be at most 500 characters");
        }
        if (channel.equals("wechat-mp")) {
            try {
                MpMessage.kindOf(body.subject());
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("subject", "format", e.getMessage() + " / 公众号模板的 subject 应为 template:模板ID 或 subscribe:模板ID");
            }
        }
        MessageTemplate template = new MessageTemplate(name, channel, body.subject(), text,
                body.marketing() == null || body.marketing());
        List<String> variables = parsed(template);
        templates.save(tenant, template);
        return view(template, variables);
    }

    @GetMapping
    List<Map<String, Object>> list(TenantId tenant) {
        return templates.all(tenant).stream().map(t -> view(t, parsed(t))).toList();
    }

    @GetMapping("/{name}")
    Map<String, Object> get(TenantId tenant, @PathVariable String name) {
        MessageTemplate template = find(tenant, name);
        return view(template, parsed(template));
    }

    /** Renders as the channel would; missing variables are named rather than failing the preview. */
    @PostMapping("/{name}/preview")
    Map<String, Object> preview(TenantId tenant, @PathVariable String name, @RequestBody Preview preview) {
        MessageTemplate template = find(tenant, name);
        Map<String, Object> values = preview.variables() == null ? Map.of() : preview.variables();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Rendering.Rendered rendered = dispatcher.preview(tenant, template, values);
            out.put("subject", rendered.subject());
            out.put("body", rendered.body());
            out.put("missing", List.of());
        } catch (TemplateText.MissingVariables e) {
            out.put("missing", List.copyOf(e.names()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("body", "channel-limit", e.getMessage());
        }
        out.put("channel", template.channel());
        return out;
    }

    private MessageTemplate find(TenantId tenant, String name) {
        Names.require("name", name);
        return templates.find(tenant, name).orElseThrow(() -> new NotFound("no message template '" + name + "' / 模板不存在"));
    }

    private static List<String> parsed(MessageTemplate template) {
        try {
            List<String> names = new java.util.ArrayList<>(template.bodyText().variables());
            if (template.subjectText() != null) {
                template.subjectText().variables().stream().filter(v -> !names.contains(v)).forEach(names::add);
            }
            return names;
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("body", "syntax", e.getMessage());
        }
    }

    private static Map<String, Object> view(MessageTemplate t, List<String> variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put("channel", t.channel());
        if (t.subject() != null) {
            out.put("subject", t.subject());
        }
        out.put("body", t.body());
        out.put("marketing", t.marketing());
        out.put("variables", variables);
        return out;
    }
}
