package io.siyu.service.knowledge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.action.ContentGate;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.TenantId;
import io.siyu.service.dialogue.Answers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The brand's FAQ as an answer source for the bot (before the canned replies): the best BM25 hit
 * answers when its {@link FaqIndex#confidence} reaches {@link #THRESHOLD}. Each tenant's index is
 * built from PostgreSQL on first use and rebuilt after every change. Lookups and hits are counted
 * per tenant (since start) and in Micrometer for the hit rate.
 */
@Component
@Order(10)
public class KnowledgeBase implements Answers {

    static final double THRESHOLD = 0.3;
    static final int MAX_ALTERNATES = 20;

    private final Faqs faqs;
    private final Clock clock;
    private final ObjectProvider<ContentGate> contentGate;
    private final Map<TenantId, Index> indexes = new ConcurrentHashMap<>();
    private final Map<TenantId, AtomicLong[]> counts = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;

    private record Index(FaqIndex lucene, Map<String, Faqs.Faq> byId) {}

    KnowledgeBase(Faqs faqs, Clock clock, MeterRegistry meters, ObjectProvider<ContentGate> contentGate) {
        this.faqs = faqs;
        this.clock = clock;
        this.contentGate = contentGate;
        this.hits = meters.counter("siyu.service.faq.lookups", "result", "hit");
        this.misses = meters.counter("siyu.service.faq.lookups", "result", "miss");
    }

    @Override
    public Optional<Answer> find(TenantId tenant, String question, String intent) {
        AtomicLong[] c = counts.computeIfAbsent(tenant, t -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        c[0].incrementAndGet();
        Index index = index(tenant);
        FaqIndex.Question q = FaqIndex.question(question);
        FaqIndex.Hit best = null;
        double bestConfidence = 0;
        for (FaqIndex.Hit hit : index.lucene().search(q, 3)) {
            double confidence = index.lucene().confidence(q, hit);
            if (confidence > bestConfidence) {
                best = hit;
                bestConfidence = confidence;
            }
        }
        if (best == null || bestConfidence < THRESHOLD) {
            misses.increment();
            return Optional.empty();
        }
        c[1].incrementAndGet();
        hits.increment();
        Faqs.Faq faq = index.byId().get(best.key());
        faqs.hit(faq.id());
        return Optional.of(new Answer(faq.answer(), Math.round(bestConfidence * 1000) / 1000.0, "faq:" + faq.id()));
    }

    Faqs.Faq create(TenantId tenant, @Nullable String question, @Nullable String answer, @Nullable List<String> alternates) {
        List<String> alts = validate(tenant, question, answer, alternates);
        long id = faqs.create(tenant, question.strip(), answer.strip(), alts, clock.instant());
        indexes.remove(tenant);
        return faqs.require(tenant, id);
    }

    Faqs.Faq update(TenantId tenant, long id, @Nullable String question, @Nullable String answer, @Nullable List<String> alternates) {
        List<String> alts = validate(tenant, question, answer, alternates);
        faqs.update(tenant, id, question.strip(), answer.strip(), alts, clock.instant());
        indexes.remove(tenant);
        return faqs.require(tenant, id);
    }

    void delete(TenantId tenant, long id) {
        faqs.delete(tenant, id);
        indexes.remove(tenant);
    }

    Map<String, Object> stats(TenantId tenant) {
        AtomicLong[] c = counts.getOrDefault(tenant, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lookups", c[0].get());
        out.put("hits", c[1].get());
        out.put("hitRate", c[0].get() == 0 ? null : (double) c[1].get() / c[0].get());
        out.put("faqs", faqs.all(tenant).size());
        return out;
    }

    List<UnansweredClusters.Cluster> suggestions(TenantId tenant, int limit) {
        return UnansweredClusters.cluster(faqs.unanswered(tenant, 5_000), limit);
    }

    private Index index(TenantId tenant) {
        return indexes.computeIfAbsent(tenant, t -> {
            List<FaqIndex.Entry> entries = new ArrayList<>();
            Map<String, Faqs.Faq> byId = new LinkedHashMap<>();
            for (Faqs.Faq faq : faqs.all(t)) {
                String key = Long.toString(faq.id());
                byId.put(key, faq);
                entries.add(new FaqIndex.Entry(key, faq.question()));
                faq.alternates().forEach(alt -> entries.add(new FaqIndex.Entry(key, alt)));
            }
            return new Index(new FaqIndex(entries), byId);
        });
    }

    private List<String> validate(TenantId tenant, @Nullable String question, @Nullable String answer, @Nullable List<String> alternates) {
        List<InvalidInput.Violation> violations = new ArrayList<>();
        if (question == null || question.isBlank() || question.length() > 500) {
            violations.add(new InvalidInput.Violation("question", "length", "问题须为 1–500 字 / question must be 1–500 chars"));
        }
        if (answer == null || answer.isBlank() || answer.length() > 4000) {
            violations.add(new InvalidInput.Violation("answer", "length", "答案须为 1–4000 字 / answer must be 1–4000 chars"));
        }
        List<String> alts = alternates == null ? List.of() : alternates;
        if (alts.size() > MAX_ALTERNATES) {
            violations.add(new InvalidInput.Violation("alternates", "max-items", "相似问法最多 " + MAX_ALTERNATES + " 条 / at most " + MAX_ALTERNATES));
        }
        for (int i = 0; i < alts.size(); i++) {
            String alt = alts.get(i);
            if (alt == null || alt.isBlank() || alt.length() > 500) {
                violations.add(new InvalidInput.Violation("alternates[" + i + "]", "length", "相似问法须为 1–500 字 / 1–500 chars"));
            }
        }
        if (violations.isEmpty() && answer != null) {
            ContentGate.Result gate = contentGate.getIfAvailable(() -> (t, s) -> ContentGate.Result.PASSED).check(tenant, answer);
            if (gate.verdict() == ContentGate.Verdict.BLOCK) {
                violations.add(new InvalidInput.Violation("answer", "content", "答案未通过合规检查 / the answer breaks content rules: " + gate.findings()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInput(violations);
        }
        return alts.stream().map(String::strip).distinct().toList();
    }
}
