package io.siyu.compliance;

import io.siyu.compliance.lexicon.TextNormaliser;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.InvalidInput.Violation;
import io.siyu.platform.NotFound;
import io.siyu.platform.PayloadTooLarge;
import io.siyu.platform.TenantId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's own term lists. Every change recompiles the tenant's lexicon and swaps it in before
 * the response, so the next check already uses it.
 */
@RestController
@RequestMapping("/api/v1/compliance/lists")
class LexiconListController {

    static final int MAX_TERMS = 50_000;
    static final int MAX_TERM_LENGTH = 64;

    record ListBody(@Nullable String kind, @Nullable List<String> terms) {}

    record Terms(@Nullable List<String> terms) {}

    private final LexiconLists lists;
    private final TenantLexicons lexicons;

    LexiconListController(LexiconLists lists, TenantLexicons lexicons) {
        this.lists = lists;
        this.lexicons = lexicons;
    }

    @GetMapping
    List<Map<String, Object>> all(TenantId tenant) {
        return lists.all(tenant).stream().map(list -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", list.name());
            view.put("kind", list.kind().name().toLowerCase(Locale.ROOT));
            view.put("terms", list.terms().size());
            view.put("updatedAt", list.updatedAt());
            return view;
        }).toList();
    }

    @GetMapping("/{name}")
    Map<String, Object> one(TenantId tenant, @PathVariable String name) {
        return view(find(tenant, Inputs.name("name", name)));
    }

    @PutMapping("/{name}")
    ResponseEntity<Map<String, Object>> put(TenantId tenant, @PathVariable String name, @RequestBody ListBody body) {
        Inputs.name("name", name);
        LexiconLists.Kind kind = Inputs.choice("kind", body.kind(), LexiconLists.Kind.class);
        List<String> terms = terms(body.terms(), new LinkedHashSet<>());
        boolean created = lists.save(tenant, name, kind, terms);
        lexicons.rebuild(tenant);
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(view(find(tenant, name)));
    }

    @PostMapping("/{name}/terms")
    Map<String, Object> add(TenantId tenant, @PathVariable String name, @RequestBody Terms body) {
        LexiconLists.TermList list = find(tenant, Inputs.name("name", name));
        List<String> terms = terms(body.terms(), new LinkedHashSet<>(list.terms()));
        lists.save(tenant, name, list.kind(), terms);
        lexicons.rebuild(tenant);
        return view(find(tenant, name));
    }

    @PostMapping("/{name}/terms/remove")
    Map<String, Object> remove(TenantId tenant, @PathVariable String name, @RequestBody Terms body) {
        LexiconLists.TermList list = find(tenant, Inputs.name("name", name));
        List<String> removed = terms(body.terms(), new LinkedHashSet<>());
        List<String> kept = new ArrayList<>(list.terms());
        kept.removeAll(removed);
        lists.save(tenant, name, list.kind(), kept);
        lexicons.rebuild(tenant);
        return view(find(tenant, name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String name) {
        if (!lists.delete(tenant, Inputs.name("name", name))) {
            throw new NotFound("list " + name + " does not exist");
        }
        lexicons.rebuild(tenant);
    }

    private LexiconLists.TermList find(TenantId tenant, String name) {
        return lists.find(tenant, name).orElseThrow(() -> new NotFound("list " + name + " does not exist"));
    }

    /** Validates the new terms and adds them to {@code into}, which drops duplicates and keeps order. */
    private static List<String> terms(@Nullable List<String> terms, LinkedHashSet<String> into) {
        if (terms == null) {
            throw new InvalidInput("terms", "required", "terms is required / 缺少 terms");
        }
        if (terms.size() + into.size() > MAX_TERMS) {
            throw new PayloadTooLarge("terms", MAX_TERMS, "一个词表最多 " + MAX_TERMS + " 个词 / a list holds at most "
                    + MAX_TERMS + " terms");
        }
        List<Violation> violations = new ArrayList<>();
        TextNormaliser normaliser = TextNormaliser.standard();
        for (int i = 0; i < terms.size(); i++) {
            String term = terms.get(i) == null ? "" : terms.get(i).strip();
            if (term.length() > MAX_TERM_LENGTH) {
                violations.add(new Violation("terms[" + i + "]", "max-length", "terms are at most " + MAX_TERM_LENGTH + " characters"));
            } else if (term.chars().anyMatch(Character::isISOControl)) {
                violations.add(new Violation("terms[" + i + "]", "format", "terms contain no control characters"));
            } else if (normaliser.normalise(term).isEmpty()) {
                violations.add(new Violation("terms[" + i + "]", "matchable",
                        "词语须含有文字或数字 / a term needs a letter or digit to match"));
            } else {
                into.add(term);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return List.copyOf(into);
    }

    private static Map<String, Object> view(LexiconLists.TermList list) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", list.name());
        view.put("kind", list.kind().name().toLowerCase(Locale.ROOT));
        view.put("terms", list.terms());
        view.put("updatedAt", list.updatedAt());
        return view;
    }
}
