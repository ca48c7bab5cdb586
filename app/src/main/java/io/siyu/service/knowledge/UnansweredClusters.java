package io.siyu.service.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Groups questions the bot could not answer into suggested FAQs: single-pass leader clustering on
 * bigram similarity (Dice ≥ 0.4 to a cluster's first question), largest clusters first. Cheap
 * enough to run on request over the latest few thousand questions.
 */
final class UnansweredClusters {

    static final double SIMILARITY = 0.4;

    record Cluster(String question, int count, List<String> examples) {}

    private UnansweredClusters() {}

    static List<Cluster> cluster(List<String> questions, int limit) {
        record Group(Set<String> leader, List<String> members) {}
        List<Group> groups = new ArrayList<>();
        for (String question : questions) {
            Set<String> grams = Bigrams.of(question);
            if (grams.isEmpty()) {
                continue;
            }
            Group home = null;
            for (Group g : groups) {
                if (Bigrams.dice(g.leader(), grams) >= SIMILARITY) {
                    home = g;
                    break;
                }
            }
            if (home == null) {
                home = new Group(grams, new ArrayList<>());
                groups.add(home);
            }
            home.members().add(question);
        }
        return groups.stream().sorted(Comparator.comparingInt((Group g) -> g.members().size()).reversed()).limit(limit)
                .map(g -> new Cluster(g.members().getFirst(), g.members().size(), g.members().stream().distinct().limit(5).toList()))
                .toList();
    }
}
