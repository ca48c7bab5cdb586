package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.PayloadTooLarge;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Yunpian's status-report push ({@code 推送状态报告}): {@code POST /callbacks/sms/<report-token>}
 * with the form field {@code sms_status}, a JSON list of
 * {@code {"sid":…,"mobile":"…","report_status":"SUCCESS"|"FAIL","error_msg":"DELIVRD"|"UNDELIV"…}}.
 * Answers {@code SUCCESS} (Yunpian pushes again otherwise) once every report is recorded; a wrong
 * token is answered 404 like any unknown path.
 */
@RestController
class SmsReportController {

    static final int MAX_REPORTS = 1_000;

    private final Channels channels;
    private final DeliveryReports reports;
    private final JsonMapper json;

    SmsReportController(Channels channels, DeliveryReports reports, JsonMapper json) {
        this.channels = channels;
        this.reports = reports;
        this.json = json;
    }

    @PostMapping(path = "/callbacks/sms/{token}", produces = MediaType.TEXT_PLAIN_VALUE)
    String report(@PathVariable String token, @RequestParam(name = "sms_status", required = false) @Nullable String status) {
        if (!(channels.provider("sms").orElse(null) instanceof ReportCallbacks callbacks) || token.length() > 256
                || !callbacks.authenticates(token)) {
            throw new NotFound("no such callback");
        }
        if (status == null || status.isBlank()) {
            throw new InvalidInput("sms_status", "required", "sms_status is required / 缺少状态报告");
        }
        JsonNode list;
        try {
            list = json.readTree(status);
        } catch (JacksonException e) {
            throw new InvalidInput("sms_status", "json", "sms_status must be a JSON list of reports");
        }
        if (!list.isArray()) {
            throw new InvalidInput("sms_status", "json", "sms_status must be a JSON list of reports");
        }
        if (list.size() > MAX_REPORTS) {
            throw new PayloadTooLarge("sms_status", MAX_REPORTS, "at most " + MAX_REPORTS + " reports per push");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode report = list.get(i);
            String sid = report.path("sid").asString("");
            String mobile = report.path("mobile").asString("");
            String outcome = report.path("report_status").asString("");
            if (!sid.matches("[0-9A-Za-z_-]{1,64}") || mobile.isEmpty() || !(outcome.equals("SUCCESS") || outcome.equals("FAIL"))) {
                throw new InvalidInput("sms_status[" + i + "]", "format", "a report needs sid, mobile and report_status SUCCESS or FAIL");
            }
            reports.report("sms", sid, mobile, outcome.equals("SUCCESS") ? null
                    : "Yunpian FAIL " + report.path("error_msg").asString("").trim());
        }
        return "SUCCESS";
    }
}
