package io.siyu.coupon;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk issue of a coupon template to a segment (批量发券给分群): {@code POST …/issue-to-segment}
 * starts a background job (202) or answers the one for the same request key (200); {@code GET
 * …/issue-jobs/{job}} shows its counts.
 */
@RestController
@RequestMapping("/api/v1/coupon-templates/{id}")
class SegmentIssueController {

    record Body(@Nullable String segment, @Nullable String requestKey) {}

    private final CouponTemplates templates;
    private final SegmentIssues issues;

    SegmentIssueController(CouponTemplates templates, SegmentIssues issues) {
        this.templates = templates;
        this.issues = issues;
    }

    @PostMapping("/issue-to-segment")
    ResponseEntity<Map<String, Object>> start(TenantId tenant, @PathVariable String id, @RequestBody Body body) {
        String segment = body.segment();
        if (segment == null || segment.isBlank() || segment.length() > 64 || segment.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("segment", "format", "segment: a segment name of 1–64 characters / 分群名称 1–64 个字符");
        }
        String key = body.requestKey();
        if (key == null || !key.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new InvalidInput("requestKey", "format",
                    "requestKey: 1–64 letters, digits, '_', '.', ':' or '-', the same for a repeat of the same issue / 请求键，重复提交用同一个");
        }
        if (!id.matches("[A-Za-z0-9_\\-.]{1,64}")) {
            throw new InvalidInput("id", "pattern", "ids are 1–64 letters, digits, '_', '-', '.'");
        }
        CouponTemplate template = templates.find(tenant, id).orElseThrow(() -> new NotFound("no coupon template '" + id + "' / 模板不存在"));
        SegmentIssues.Started started = issues.start(tenant, template, segment, key);
        return ResponseEntity.status(started.created() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(view(started.job()));
    }

    @GetMapping("/issue-jobs/{job}")
    Map<String, Object> job(TenantId tenant, @PathVariable String id, @PathVariable String job) {
        return issues.find(tenant, job).filter(j -> j.templateId().equals(id)).map(SegmentIssueController::view)
                .orElseThrow(() -> new NotFound("no issue job '" + job + "' for template '" + id + "'"));
    }

    private static Map<String, Object> view(SegmentIssues.Job job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", job.id());
        out.put("template", job.templateId());
        out.put("segment", job.segment());
        out.put("requestKey", job.requestKey());
        out.put("status", job.status());
        out.put("members", job.members());
        out.put("issued", job.issued());
        out.put("repeated", job.repeated());
        out.put("skipped", job.skipped());
        if (job.error() != null) {
            out.put("error", job.error());
        }
        out.put("startedAt", job.startedAt().toString());
        if (job.finishedAt() != null) {
            out.put("finishedAt", job.finishedAt().toString());
        }
        return out;
    }
}
