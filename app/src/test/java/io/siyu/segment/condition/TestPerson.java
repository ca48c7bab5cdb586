package io.siyu.segment.condition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A person as plain data for tests: traits, tags, segments and every event they ever sent.
 * Stats are not stored; each evaluator derives them from the events its own way.
 *
 * @param now the evaluation time, epoch ms
 */
record TestPerson(Map<String, Object> traits, Set<String> tags, Set<String> segments, List<Event> events, long now) {

    static final String ORDER = "Order Completed";
    static final String REFUND = "Order Refunded";

    /** @param amountFen the money the event carries, 0 for most events */
    record Event(String name, long at, Map<String, Object> properties, long amountFen) {}
}
