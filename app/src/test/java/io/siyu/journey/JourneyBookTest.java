package io.siyu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.journey.model.DefinitionParser;
import io.siyu.journey.model.JourneyDefinition;
import io.siyu.journey.runtime.Batch;
import io.siyu.journey.runtime.JournalSink;
import io.siyu.journey.runtime.JourneyBook;
import io.siyu.journey.runtime.PersonLens;
import io.siyu.segment.condition.Condition;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The journey state machine on its own: splits, local-time waits, goals, segment exits, restore. */
class JourneyBookTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final long NOW = Instant.parse("2026-11-25T01:00:00Z").toEpochMilli(); // 09:00 in Shanghai

    /** Everyone in Shanghai, except person 7 in Los Angeles; nobody matches any condition. */
    private static final PersonLens LENS = new PersonLens() {
        public boolean test(Condition condition, int person, long now) {
            return false;
        }

        public ZoneId zone(int person) {
            return ZoneId.of(person == 7 ? "America/Los_Angeles" : "Asia/Shanghai");
        }

        public @Nullable Object trait(int person, String name) {
            return null;
        }

        public Map<String, Object> context(int person, long now) {
            return Map.of();
        }

        public void members(String segment, long now, IntConsumer each) {}

        public void everybody(IntConsumer each) {}
    };

    private static JourneyBook book(String definition) {
        JourneyDefinition d = DefinitionParser.parse(json.readTree(definition), Map.of());
        JourneyBook book = new JourneyBook(1, NOW);
        book.install(1, d.name(), JourneyBook.Status.PUBLISHED, 1, Map.of(1, d), NOW);
        return book;
    }

    @Test
    void splitSendsPeopleByPercentAndHoldsOutTheControlGroupTheSameWayEveryTime() {
        String flow = """
                {"name": "ab", "trigger": {"type": "api"}, "entry": {"rule": "always"}, "nodes": [
                  {"id": "s", "type": "split", "arms": [{"percent": 60, "next": "a"}, {"percent": 30, "next": "b"}], "holdout": 10},
                  {"id": "a", "type": "exit"}, {"id": "b", "type": "exit"}]}""";
        JourneyBook book = book(flow);
        Batch batch = new Batch();
        for (int p = 0; p < 20_000; p++) {
            book.enter(1, p, NOW, Map.of(), LENS, batch);
        }
        Map<String, Integer> ends = new HashMap<>();
        batch.steps.stream().filter(s -> s.kind() == JournalSink.Kind.EXITED)
                .forEach(s -> ends.merge(s.reason().equals("holdout") ? "holdout" : s.node(), 1, Integer::sum));
        assertThat(ends.get("a")).isBetween(11_600, 12_400);
        assertThat(ends.get("b")).isBetween(5_600, 6_400);
        assertThat(ends.get("holdout")).isBetween(1_700, 2_300);
        Batch again = new Batch();
        JourneyBook replayed = book(flow);
        for (int p = 0; p < 20_000; p++) {
            replayed.enter(1, p, NOW, Map.of(), LENS, again);
        }
        assertThat(again.steps).isEqualTo(batch.steps);
    }

    @Test
    void waitUntilTimeOfDayUsesThePersonsZone() {
        JourneyBook book = book("""
                {"name": "ten", "trigger": {"type": "api"}, "nodes": [
                  {"id": "w", "type": "wait_until", "time": "10:00", "next": "x"}, {"id": "x", "type": "exit"}]}""");
        Batch batch = new Batch();
        book.enter(1, 1, NOW, Map.of(), LENS, batch);
        book.enter(1, 7, NOW, Map.of(), LENS, batch);
        long shanghai = book.position(1, 1).deadline();
        long losAngeles = book.position(1, 7).deadline();
        assertThat(Instant.ofEpochMilli(shanghai)).isEqualTo(Instant.parse("2026-11-25T02:00:00Z"));
        ZonedDateTime la = Instant.ofEpochMilli(losAngeles).atZone(ZoneId.of("America/Los_Angeles"));
        assertThat(la.getHour()).isEqualTo(10);
        assertThat(la.toLocalDate().toString()).isEqualTo("2026-11-25");
        Batch later = new Batch();
        book.advance(shanghai, LENS, later);
        assertThat(book.position(1, 1)).isNull();
        assertThat(book.position(1, 7)).isNotNull();
    }

    @Test
    void goalEndsTheJourneyAsConvertedOnlyWithinItsWindow() {
        String flow = """
                {"name": "g", "trigger": {"type": "api"}, "entry": {"rule": "always"}, "goal": {"event": "Order Completed", "within": "P2D"},
                 "nodes": [{"id": "w", "type": "wait", "duration": "P10D", "next": "x"}, {"id": "x", "type": "exit"}]}""";
        JourneyBook book = book(flow);
        Batch batch = new Batch();
        book.enter(1, 1, NOW, Map.of(), LENS, batch);
        book.enter(1, 2, NOW, Map.of(), LENS, batch);
        book.onEvent("Order Completed", n -> null, Map.of(), 1, NOW + 86_400_000L, LENS, batch);
        book.onEvent("Order Completed", n -> null, Map.of(), 2, NOW + 3 * 86_400_000L, LENS, batch);
        assertThat(book.position(1, 1)).isNull();
        assertThat(book.position(1, 2)).isNotNull();
        assertThat(batch.steps.stream().filter(s -> s.kind() == JournalSink.Kind.CONVERTED).map(Batch.Step::person).toList())
                .containsExactly(1);
    }

    @Test
    void leavingTheSegmentEndsTheJourneyAndEnteringItStartsOne() {
        JourneyBook book = book("""
                {"name": "seg", "trigger": {"type": "segment_entered", "segment": "vip"}, "exitWhenLeaving": "vip",
                 "nodes": [{"id": "w", "type": "wait", "duration": "P10D", "next": "x"}, {"id": "x", "type": "exit"}]}""");
        Batch batch = new Batch();
        book.onMembership("vip", 3, true, NOW, LENS, batch);
        assertThat(book.position(1, 3).node()).isEqualTo("w");
        book.onMembership("vip", 3, false, NOW + 1_000, LENS, batch);
        assertThat(book.position(1, 3)).isNull();
        assertThat(batch.steps.getLast().reason()).isEqualTo("left-segment");
    }

    @Test
    void restoringTheJournalPutsPeopleBackOnTheirWaits() {
        String flow = """
                {"name": "r", "trigger": {"type": "api"}, "nodes": [
                  {"id": "a", "type": "action", "action": "message", "next": "w"},
                  {"id": "w", "type": "wait", "duration": "P1D", "next": "b"},
                  {"id": "b", "type": "action", "action": "message", "next": "x"}, {"id": "x", "type": "exit"}]}""";
        JourneyBook book = book(flow);
        Batch before = new Batch();
        book.enter(1, 5, NOW, Map.of("state", "s1"), LENS, before);
        JourneyBook restored = book(flow);
        for (Batch.Step s : before.steps) {
            if (s.kind() != JournalSink.Kind.AT || s.deadline() >= 0) { // what the journal keeps
                restored.restore(s.kind(), s.journey(), s.version(), s.person(), s.entry(), s.step(), s.node(), s.at(),
                        s.deadline(), s.vars());
            }
        }
        restored.rearm();
        Batch original = new Batch();
        Batch afterRestart = new Batch();
        book.advance(NOW + 86_400_000L, LENS, original);
        restored.advance(NOW + 86_400_000L, LENS, afterRestart);
        assertThat(afterRestart.actions).isEqualTo(original.actions);
        assertThat(afterRestart.actions).hasSize(1);
        assertThat(List.of(before.actions.getFirst().actionId(), original.actions.getFirst().actionId())).doesNotHaveDuplicates();
    }
}
