package io.siyu.compliance;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.Caller;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Risk rules: detector definitions, the cases they raise, and the operators' decisions. */
@RestController
@RequestMapping("/api/v1/compliance/risk")
class RiskController {

    record DetectorBody(@Nullable String kind, @Nullable String event, @Nullable String outEvent, @Nullable Long threshold,
            @Nullable Long windowSeconds, @Nullable String action) {}

    record Decision(@Nullable String note) {}

    private final RiskDetectors detectors;
    private final RiskCases cases;
    private final RiskCollector collector;
    private final RiskRegister register;
    private final ProfileDirectory profiles;

    RiskController(RiskDetectors detectors, RiskCases cases, RiskCollector collector, RiskRegister register,
            ProfileDirectory profiles) {
        this.detectors = detectors;
        this.cases = cases;
        this.collector = collector;
        this.register = register;
        this.profiles = profiles;
    }

    @PutMapping("/detectors/{name}")
    ResponseEntity<Map<String, Object>> define(TenantId tenant, @PathVariable String name, @RequestBody DetectorBody body) {
        Detector detector = detector(Inputs.name("name", name), body);
        boolean created = detectors.save(tenant, detector);
        collector.install(tenant);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(view(detector));
    }

    @GetMapping("/detectors")
    List<Map<String, Object>> all(TenantId tenant) {
        return detectors.all(tenant).stream().map(RiskController::view).toList();
    }

    @GetMapping("/detectors/{name}")
    Map<String, Object> one(TenantId tenant, @PathVariable String name) {
        return view(detectors.find(tenant, Inputs.name("name", name))
                .orElseThrow(() -> new NotFound("detector " + name + " does not exist")));
    }

    @DeleteMapping("/detectors/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String name) {
        if (!detectors.delete(tenant, Inputs.name("name", name))) {
            throw new NotFound("detector " + name + " does not exist");
        }
        collector.install(tenant);
    }

    @GetMapping("/cases")
    Map<String, Object> cases(TenantId tenant, @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") long after) {
        RiskCases.Status wanted = status == null ? null : Inputs.choice("status", status, RiskCases.Status.class);
        Inputs.limit(limit);
        collector.collect(tenant.value());
        List<RiskCases.Case> page = cases.list(tenant, wanted, limit, after);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", page.stream().map(RiskController::view).toList());
        answer.put("next", page.size() == limit ? page.getLast().id() : -1);
        return answer;
    }

    @GetMapping("/cases/{id}")
    Map<String, Object> oneCase(TenantId tenant, @PathVariable long id) {
        return view(cases.find(tenant, id));
    }

    @PostMapping("/cases/{id}/clear")
    Map<String, Object> clear(TenantId tenant, Caller caller, @PathVariable long id,
            @RequestBody(required = false) @Nullable Decision body) {
        return view(cases.decide(tenant, id, RiskCases.Status.CLEARED, Inputs.who(caller), note(body)));
    }

    @PostMapping("/cases/{id}/confirm")
    Map<String, Object> confirm(TenantId tenant, Caller caller, @PathVariable long id,
            @RequestBody(required = false) @Nullable Decision body) {
        return view(cases.decide(tenant, id, RiskCases.Status.CONFIRMED, Inputs.who(caller), note(body)));
    }

    /** {@code GET /frozen?identifier=user_id:…}: is this person frozen by a risk rule? */
    @GetMapping("/frozen")
    Map<String, Object> frozen(TenantId tenant, @RequestParam String identifier) {
        Identifier id;
        try {
            id = Identifier.parse(identifier);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("identifier", "format", e.getMessage());
        }
        String person = profiles.find(tenant, id).orElseThrow(() -> new NotFound("no person with " + identifier)).id();
        return Map.of("person", person, "frozen", register.frozen(tenant, PersonId.parse(person)));
    }

    private static @Nullable String note(@Nullable Decision body) {
        return body == null ? null : Inputs.optionalText("note", body.note(), 1_000);
    }

    private static Detector detector(String name, DetectorBody body) {
        List<Violation> violations = new ArrayList<>();
        Detector.Kind kind = null;
        Detector.Action action = null;
        try {
            kind = Inputs.choice("kind", body.kind(), Detector.Kind.class);
        } catch (InvalidInput e) {
            violations.addAll(e.violations());
        }
        try {
            action = Inputs.choice("action", body.action(), Detector.Action.class);
        } catch (InvalidInput e) {
            violations.addAll(e.violations());
        }
        eventName("event", body.event(), violations);
        if (kind == Detector.Kind.IN_OUT) {
            eventName("outEvent", body.outEvent(), violations);
            if (body.outEvent() != null && body.outEvent().equals(body.event())) {
                violations.add(new Violation("outEvent", "distinct", "outEvent must differ from event"));
            }
        }
        long maxThreshold = kind == Detector.Kind.COUNT ? Detector.MAX_COUNT : Long.MAX_VALUE / 4;
        if (body.threshold() == null || body.threshold() < 1 || body.threshold() > maxThreshold) {
            violations.add(new Violation("threshold", "range", "threshold is 1–" + maxThreshold
                    + " (events for count, fen for in_out)"));
        }
        long maxWindow = Detector.MAX_WINDOW.toSeconds();
        if (body.windowSeconds() == null || body.windowSeconds() < 1 || body.windowSeconds() > maxWindow) {
            violations.add(new Violation("windowSeconds", "range", "windowSeconds is 1–" + maxWindow));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return new Detector(name, kind, body.event(), body.outEvent(), body.threshold(), Duration.ofSeconds(body.windowSeconds()),
                action);
    }

    private static void eventName(String field, @Nullable String value, List<Violation> violations) {
        if (value == null || value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            violations.add(new Violation(field, "format", field + " is an event name of 1–200 characters"));
        }
    }

    private static Map<String, Object> view(Detector d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", d.name());
        view.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
        view.put("event", d.event());
        view.put("outEvent", d.outEvent());
        view.put("threshold", d.threshold());
        view.put("windowSeconds", d.window().toSeconds());
        view.put("action", d.action().name().toLowerCase(Locale.ROOT));
        return view;
    }

    private static Map<String, Object> view(RiskCases.Case c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("detector", c.detector());
        view.put("action", c.action().name().toLowerCase(Locale.ROOT));
        view.put("person", c.person());
        view.put("seq", c.seq());
        view.put("occurredAt", c.occurredAt());
        view.put("evidence", c.evidence());
        view.put("status", c.status().name().toLowerCase(Locale.ROOT));
        view.put("frozen", c.frozen());
        view.put("decidedAt", c.decidedAt());
        view.put("decidedBy", c.decidedBy());
        view.put("note", c.note());
        return view;
    }
}
