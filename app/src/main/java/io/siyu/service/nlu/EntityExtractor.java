package io.siyu.service.nlu;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the recognisers in priority order (identifiers, dates and times, amounts, catalogue) and
 * keeps the first claim on any stretch of text, so "13812345678" is a phone and not also an
 * amount or a date. Results are sorted by position.
 */
final class EntityExtractor {

    private static final ZonedDateTime FIXED = Instant.EPOCH.atZone(ZoneId.of("Asia/Shanghai"));

    private EntityExtractor() {}

    static List<Entity> extract(String normalised, ZonedDateTime now, Catalogue catalogue) {
        List<Entity> found = new ArrayList<>(4);
        Identifiers.extract(normalised, found);
        DateTimes.extract(normalised, now, found);
        Amounts.extract(normalised, found);
        catalogue.extract(normalised, found);
        return resolveOverlaps(found);
    }

    /** The entities whose types feed the intent model; their values do not matter, so the clock is fixed. */
    static List<Entity> forFeatures(String normalised) {
        List<Entity> found = new ArrayList<>(4);
        Identifiers.extract(normalised, found);
        DateTimes.extract(normalised, FIXED, found);
        Amounts.extract(normalised, found);
        return resolveOverlaps(found);
    }

    private static List<Entity> resolveOverlaps(List<Entity> found) {
        if (found.size() <= 1) {
            return found;
        }
        List<Entity> kept = new ArrayList<>(found.size());
        for (Entity candidate : found) {
            boolean overlaps = false;
            for (Entity k : kept) {
                if (candidate.start() < k.end() && k.start() < candidate.end()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(candidate);
            }
        }
        kept.sort(Comparator.comparingInt(Entity::start));
        return kept;
    }
}
