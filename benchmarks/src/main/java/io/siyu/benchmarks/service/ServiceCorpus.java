package io.siyu.benchmarks.service;

import io.siyu.platform.TenantId;
import io.siyu.service.connector.Inventory;
import io.siyu.service.connector.OrderSystem;
import io.siyu.service.dialogue.Answers;
import io.siyu.service.dialogue.Bot;
import io.siyu.service.dialogue.CannedReplies;
import io.siyu.service.knowledge.FaqIndex;
import io.siyu.service.nlu.Catalogue;
import io.siyu.service.nlu.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * What the service benchmarks run on: every authored message (training and held-out, about
 * 1,300, Chinese, English, traditional, emoji) in a fixed shuffle, the unseen test messages when
 * run from the repository root, a BM25 nearest-example classifier over the training split (the
 * peer baseline), and a bot whose OMS and inventory answer in memory (the remote round trip is
 * not part of "in process").
 */
public final class ServiceCorpus {

    public static final TenantId TENANT = new TenantId(1);
    static final Path UNSEEN = Path.of("app/src/test/resources/service/nlu/unseen.tsv");
    /** Written and committed before the model was run on it; never trained, calibrated or tuned on. */
    static final Path BLIND = Path.of("app/src/test/resources/service/nlu/unseen-blind.tsv");

    private ServiceCorpus() {}

    public static String[] messages() {
        TrainingData data = TrainingData.bundled();
        List<String> all = new ArrayList<>();
        data.train().forEach(e -> all.add(e.text()));
        data.heldOut().forEach(e -> all.add(e.text()));
        Collections.shuffle(all, new Random(42));
        return all.toArray(String[]::new);
    }

    /** Labelled unseen messages (intent, text), or empty when not run from the repository root. */
    public static List<TrainingData.Example> unseen() throws IOException {
        return labelled(UNSEEN);
    }

    /** The blind set (intent, text), or empty when not run from the repository root. */
    public static List<TrainingData.Example> blind() throws IOException {
        return labelled(BLIND);
    }

    private static List<TrainingData.Example> labelled(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<TrainingData.Example> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] cols = line.split("\t", 2);
                out.add(new TrainingData.Example(cols[0], cols[1]));
            }
        }
        return out;
    }

    /** The peer baseline: label of the BM25-nearest training example. */
    public static final class Bm25NearestExample {
        private final FaqIndex index;

        public Bm25NearestExample(List<TrainingData.Example> train) {
            index = new FaqIndex(train.stream().map(e -> new FaqIndex.Entry(e.intent(), e.text())).toList());
        }

        public String classify(String text) {
            List<FaqIndex.Hit> hits = index.search(text, 1);
            return hits.isEmpty() ? "fallback" : hits.getFirst().key();
        }
    }

    /** A bot with in-memory connectors and an FAQ of the training questions (~1,000 entries) ahead of the canned replies. */
    public static Bot bot(Catalogue catalogue) {
        TrainingData data = TrainingData.bundled();
        FaqIndex faq = new FaqIndex(data.train().stream().map(e -> new FaqIndex.Entry(e.intent(), e.text())).toList());
        Answers faqAnswers = (tenant, question, intent) -> {
            FaqIndex.Question q = FaqIndex.question(question);
            List<FaqIndex.Hit> hits = faq.search(q, 3);
            for (FaqIndex.Hit hit : hits) {
                double confidence = faq.confidence(q, hit);
                if (confidence >= 0.3) {
                    return Optional.of(new Answers.Answer("FAQ answer for " + hit.key(), confidence, "faq"));
                }
            }
            return Optional.empty();
        };
        OrderSystem orders = new OrderSystem() {
            @Override
            public Optional<Order> find(TenantId tenant, String orderNumber) {
                return Optional.of(new Order(orderNumber, "shipped", "顺丰", "SF1234567890", "2026-11-27"));
            }

            @Override
            public AddressChange changeAddress(TenantId tenant, String orderNumber, @Nullable String address, @Nullable String phone) {
                return new AddressChange.Changed(address == null ? "" : address, phone == null ? "" : phone);
            }
        };
        Inventory inventory = (tenant, sku) -> Optional.of(new Inventory.Stock(sku, 12, null));
        return new Bot(orders, inventory, catalogue, List.of(faqAnswers, new CannedReplies()));
    }
}
