package io.siyu.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityGraphTest {

    private final IdentityGraph graph = new IdentityGraph();

    private static Identifier anon(String v) {
        return new Identifier(IdentifierType.ANONYMOUS_ID, v);
    }

    private static Identifier user(String v) {
        return new Identifier(IdentifierType.USER_ID, v);
    }

    @Test
    void createsOnePersonPerUnknownIdentifier() {
        var first = graph.resolve(List.of(anon("a")));
        var second = graph.resolve(List.of(anon("b")));
        assertThat(first.created()).isTrue();
        assertThat(second.person()).isNotEqualTo(first.person());
        assertThat(graph.resolve(List.of(anon("a"))).person()).isEqualTo(first.person());
    }

    @Test
    void mergesTheAnonymousPersonIntoTheUserOnIdentify() {
        int anonymous = graph.resolve(List.of(anon("a"))).person();
        int known = graph.resolve(List.of(user("u"))).person();
        var identify = graph.resolve(List.of(user("u"), anon("a")));
        assertThat(identify.person()).isEqualTo(known);
        assertThat(identify.merges()).containsExactly(new IdentityGraph.Merge(anonymous, known, anon("a")));
        assertThat(graph.canonical(anonymous)).isEqualTo(known);
        assertThat(graph.identifiersOf(known)).containsExactly(user("u"), anon("a"));
    }

    @Test
    void neverMergesTwoUserIds() {
        int mum = graph.resolve(List.of(user("mum"), anon("ipad"))).person();
        var dad = graph.resolve(List.of(user("dad"), anon("ipad")));
        assertThat(dad.person()).isNotEqualTo(mum);
        assertThat(dad.merges()).isEmpty();
        assertThat(graph.lookup(anon("ipad"))).isEqualTo(mum);
    }

    @Test
    void capsIdentifiersPerType() {
        int person = graph.resolve(List.of(user("u"))).person();
        for (int i = 0; i < 10; i++) {
            graph.resolve(List.of(user("u"), new Identifier(IdentifierType.EMAIL, "e" + i + "@x.cn")));
        }
        long emails = graph.identifiersOf(person).stream().filter(id -> id.type() == IdentifierType.EMAIL).count();
        assertThat(emails).isEqualTo(IdentifierType.EMAIL.cap());
        assertThat(graph.lookup(new Identifier(IdentifierType.EMAIL, "e9@x.cn"))).isEqualTo(-1);
    }

    @Test
    void operatorRulingKeepsIdentifiersApartFromTheStart() {
        graph.declareDistinct(user("u"), anon("shared"), 0);
        int person = graph.resolve(List.of(user("u"), anon("shared"))).person();
        assertThat(graph.identifiersOf(person)).containsExactly(user("u"));
        assertThat(graph.lookup(anon("shared"))).isEqualTo(-1);
    }

    @Test
    void aLaterRulingUndoesAnEarlierOperatorMergeOnReplay() {
        graph.resolve(List.of(user("u")));
        graph.resolve(List.of(anon("x")));
        graph.declareDistinct(user("u"), anon("x"), 10);
        assertThat(graph.mergeByOperator(user("u"), anon("x"), 5)).isNull();
        assertThat(graph.mergeByOperator(user("u"), anon("x"), 11)).isNotNull();
    }

    @Test
    void operatorMergeOfUnknownIdentifierIsRefused() {
        graph.resolve(List.of(user("u")));
        assertThatThrownBy(() -> graph.mergeByOperator(user("u"), user("nobody"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user_id:nobody");
    }

    @Test
    void snapshotRoundTripKeepsEverything() throws IOException {
        graph.resolve(List.of(user("u"), anon("a")));
        graph.resolve(List.of(anon("b")));
        graph.resolve(List.of(user("u"), anon("b")));
        graph.declareDistinct(user("u"), anon("z"), 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        graph.write(new DataOutputStream(bytes));
        IdentityGraph copy = IdentityGraph.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(copy.size()).isEqualTo(graph.size());
        assertThat(copy.lookup(anon("b"))).isEqualTo(graph.lookup(anon("b")));
        assertThat(copy.canonical(1)).isEqualTo(graph.canonical(1));
        assertThat(copy.resolve(List.of(user("u"), anon("z"))).person()).isEqualTo(graph.lookup(user("u")));
        assertThat(copy.lookup(anon("z"))).isEqualTo(-1);
    }

    @Test
    void personIdsEncodeTenantAndIndexAndRejectForeignUuids() {
        PersonId id = PersonId.of(7, 123_456);
        assertThat(id.tenant()).isEqualTo(7);
        assertThat(id.index()).isEqualTo(123_456);
        assertThat(PersonId.parse(id.toString())).isEqualTo(id);
        assertThat(PersonId.of(7, 1).toString()).isNotEqualTo(PersonId.of(8, 1).toString());
        assertThat(new PersonId(java.util.UUID.randomUUID()).index()).isEqualTo(-1);
    }
}
