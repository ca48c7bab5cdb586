package io.siyu.journey;

import io.siyu.engine.TenantState;
import io.siyu.identity.PersonId;
import io.siyu.journey.runtime.PersonLens;
import io.siyu.profile.Profile;
import io.siyu.profile.ProfileView;
import io.siyu.profile.Traits;
import io.siyu.segment.PersonConditions;
import io.siyu.segment.condition.Condition;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/** Answers journeys from the engine's live state of one tenant; used only on its partition thread. */
final class TenantLens implements PersonLens {

    static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private final TenantState state;

    TenantLens(TenantState state) {
        this.state = state;
    }

    @Override
    public boolean test(Condition condition, int person, long now) {
        return PersonConditions.matches(state, condition, person, now);
    }

    @Override
    public ZoneId zone(int person) {
        return zoneOf(trait(person, "timezone"));
    }

    static ZoneId zoneOf(@Nullable Object timezone) {
        if (timezone instanceof String name && !name.isBlank()) {
            try {
                return ZoneId.of(name);
            } catch (DateTimeException e) {
                return DEFAULT_ZONE; // a bad trait must not stop the journey; the default zone is the brand's
            }
        }
        return DEFAULT_ZONE;
    }

    @Override
    public @Nullable Object trait(int person, String name) {
        Profile profile = state.profile(state.graph().canonical(person));
        Object value = profile == null ? null : profile.traits().get(name);
        return value instanceof Traits.Json ? null : value;
    }

    @Override
    public Map<String, Object> context(int person, long now) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("person_id", PersonId.of(state.tenant(), state.graph().canonical(person)).toString());
        ProfileView view = state.view(person, now);
        if (view == null) {
            return context;
        }
        view.traits().forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                context.put("trait." + k, v);
            }
        });
        context.put("tags", String.join(",", view.tags()));
        if (!view.stats().categoryPreference().isEmpty()) {
            context.put("top_category", view.stats().categoryPreference().getFirst().category());
        }
        return context;
    }

    @Override
    public void members(String segment, long now, IntConsumer each) {
        PersonConditions.members(state, new Condition.Or(new Condition.InSegment(segment), new Condition.HasTag(segment)), now)
                .forEach((int p) -> each.accept(p));
    }

    @Override
    public void everybody(IntConsumer each) {
        PersonConditions.everybody(state).forEach((int p) -> each.accept(p));
    }
}
