package io.siyu.coupon;

import io.siyu.action.ActionOutcome;
import io.siyu.action.ActionProvider;
import io.siyu.action.ActionRequest;
import io.siyu.platform.ServiceUnavailable;
import io.siyu.profile.ProfileDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The {@code coupon} action of journeys: parameter {@code template} (a coupon template id); output
 * {@code coupon_code} and {@code coupon_expires_at} for later steps (e.g. a message that names the
 * code). Idempotent on the action id: a retried action returns the same coupon.
 */
@Component
class CouponAction implements ActionProvider {

    /** Identifier types that name one person, most specific first. */
    static final List<String> PREFERRED = List.of("user_id:", "wecom_external_userid:", "unionid:", "openid:", "email:", "anonymous_id:");

    private final CouponDesk desk;
    private final ProfileDirectory profiles;

    CouponAction(CouponDesk desk, ProfileDirectory profiles) {
        this.desk = desk;
        this.profiles = profiles;
    }

    @Override
    public String type() {
        return "coupon";
    }

    @Override
    public ActionOutcome perform(ActionRequest request) {
        String template = request.parameter("template", "");
        if (template.isEmpty()) {
            return new ActionOutcome.Failed("parameter:template:required");
        }
        Optional<String> identifier = profiles.find(request.tenant(), request.person())
                .flatMap(p -> PREFERRED.stream().flatMap(prefix -> p.identities().stream().filter(i -> i.startsWith(prefix))).findFirst());
        if (identifier.isEmpty()) {
            return new ActionOutcome.Failed("person:unknown");
        }
        try {
            return switch (desk.issue(request.tenant(), request.person(), identifier.get(), template, false, request.actionId(),
                    CouponDesk.Signals.NONE)) {
                case CouponDesk.Outcome.Issued issued -> new ActionOutcome.Done("coupon " + issued.code(),
                        Map.of("coupon_code", issued.code(), "coupon_expires_at", issued.expiresAt().toString()));
                case CouponDesk.Outcome.Refused refused -> new ActionOutcome.Failed(refused.reason());
            };
        } catch (ServiceUnavailable e) {
            return new ActionOutcome.Retry(Duration.ofSeconds(5), e.getMessage());
        }
    }
}
