package io.siyu.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.PersonId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FraudChecksTest {

    private static final FraudChecks.Party SHARER = party(1, "phone:p-sharer", "device:d-sharer");

    private static FraudChecks.Party party(int index, String... signals) {
        return new FraudChecks.Party(PersonId.of(7, index), Set.of(signals));
    }

    private static String verdict(FraudChecks.Verdict verdict) {
        return verdict instanceof FraudChecks.Verdict.Flagged flagged ? flagged.reason() : "clean";
    }

    @Test
    void aStrangerOnTheirOwnDeviceIsClean() {
        assertThat(verdict(FraudChecks.invite(party(2, "phone:p-2", "device:d-2"), SHARER, List.of(), 1, 3))).isEqualTo("clean");
    }

    @Test
    void theSharerOrTheirSecondAccountIsASelfInvite() {
        assertThat(verdict(FraudChecks.invite(party(1), SHARER, List.of(), 0, 3))).isEqualTo("self:same-person");
        assertThat(verdict(FraudChecks.invite(party(2, "phone:p-sharer"), SHARER, List.of(), 0, 3))).isEqualTo("self:shared-phone");
        assertThat(verdict(FraudChecks.invite(party(2, "device:d-sharer"), SHARER, List.of(), 0, 3))).isEqualTo("self:shared-device");
        assertThat(verdict(FraudChecks.invite(party(2, "unionid:u"), party(1, "unionid:u"), List.of(), 0, 3))).isEqualTo("self:shared-unionid");
    }

    @Test
    void aDeviceBehindTooManyAccountsIsFlaggedAtTheLimit() {
        assertThat(verdict(FraudChecks.invite(party(2, "device:d"), SHARER, List.of(), 2, 3))).isEqualTo("clean");
        assertThat(verdict(FraudChecks.invite(party(2, "device:d"), SHARER, List.of(), 3, 3))).isEqualTo("device:repeated");
        assertThat(verdict(FraudChecks.help(party(2, "device:d"), SHARER, 3, 3))).isEqualTo("device:repeated");
    }

    @Test
    void aFriendWhoIsOrResemblesSomeoneUpTheInviteChainClosesARing() {
        FraudChecks.Party a = party(10, "device:d-a");
        FraudChecks.Party grandparent = party(11, "phone:p-g");
        assertThat(verdict(FraudChecks.invite(party(10), SHARER, List.of(a), 0, 3))).isEqualTo("ring:1");
        assertThat(verdict(FraudChecks.invite(party(3, "device:d-a"), SHARER, List.of(a), 0, 3))).isEqualTo("ring:1");
        assertThat(verdict(FraudChecks.invite(party(3, "phone:p-g"), SHARER, List.of(a, grandparent), 0, 3))).isEqualTo("ring:2");
        assertThat(verdict(FraudChecks.invite(party(3, "phone:p-3"), SHARER, List.of(a, grandparent), 0, 3))).isEqualTo("clean");
    }

    @Test
    void theOwnerCannotHelpTheirOwnTask() {
        assertThat(verdict(FraudChecks.help(party(1), SHARER, 0, 3))).isEqualTo("self:same-person");
        assertThat(verdict(FraudChecks.help(party(2), SHARER, 1, 3))).isEqualTo("clean");
    }
}
