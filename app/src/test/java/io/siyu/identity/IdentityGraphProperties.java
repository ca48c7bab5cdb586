package io.siyu.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the merge rules over random event streams. */
class IdentityGraphProperties {

    @Property(tries = 300)
    void replayingTheSameEventsGivesTheSamePeople(@ForAll("streams") List<List<Identifier>> events) {
        IdentityGraph a = new IdentityGraph();
        IdentityGraph b = new IdentityGraph();
        for (List<Identifier> ids : events) {
            assertThat(b.resolve(ids).person()).isEqualTo(a.resolve(ids).person());
        }
        assertThat(b.size()).isEqualTo(a.size());
    }

    @Property(tries = 300)
    void noPersonEverHoldsTwoUserIds(@ForAll("streams") List<List<Identifier>> events) {
        IdentityGraph graph = new IdentityGraph();
        events.forEach(graph::resolve);
        for (int p = 0; p < graph.size(); p++) {
            long userIds = graph.identifiersOf(p).stream().filter(id -> id.type() == IdentifierType.USER_ID).count();
            assertThat(userIds).isLessThanOrEqualTo(1);
        }
    }

    @Property(tries = 300)
    void everyIdentifierSeenBelongsToExactlyOneLivePersonOrWasRefused(@ForAll("streams") List<List<Identifier>> events) {
        IdentityGraph graph = new IdentityGraph();
        Set<Identifier> seen = new HashSet<>();
        for (List<Identifier> ids : events) {
            int person = graph.resolve(ids).person();
            assertThat(graph.isMerged(person)).isFalse();
            assertThat(graph.lookup(ids.stream().filter(i -> i.type() == IdentifierType.USER_ID).findFirst()
                    .orElse(ids.stream().filter(i -> i.type().strong()).findFirst().orElse(ids.getFirst()))))
                    .isEqualTo(person);
            seen.addAll(ids);
        }
        Set<Identifier> held = new HashSet<>();
        for (int p = 0; p < graph.size(); p++) {
            for (Identifier id : graph.identifiersOf(p)) {
                assertThat(held.add(id)).as("%s held twice", id).isTrue();
                assertThat(graph.isMerged(p)).isFalse();
                assertThat(graph.lookup(id)).isEqualTo(p);
            }
        }
        assertThat(seen).containsAll(held);
    }

    @Provide
    Arbitrary<List<List<Identifier>>> streams() {
        Arbitrary<Identifier> identifier = Combinators.combine(
                Arbitraries.of(IdentifierType.ANONYMOUS_ID, IdentifierType.USER_ID, IdentifierType.EMAIL, IdentifierType.UNIONID),
                Arbitraries.integers().between(0, 6))
                .as((type, n) -> new Identifier(type, type.key().charAt(0) + "" + n));
        return identifier.list().ofMinSize(1).ofMaxSize(3).map(ArrayList::new).map(l -> (List<Identifier>) l)
                .list().ofMinSize(1).ofMaxSize(40);
    }
}
