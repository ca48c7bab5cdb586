package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.siyu.identity.Identifier;
import io.siyu.identity.PersonId;
import io.siyu.platform.FieldCipher;
import io.siyu.platform.TenantId;
import io.siyu.profile.ProfileDirectory;
import io.siyu.profile.ProfileView;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The profile keeps e-mail sealed; the e-mail channel opens it to address a message, and finds none once it is shredded. */
class SealedEmailAddressTest {

    private final TenantId tenant = new TenantId(41);
    private final PersonId person = PersonId.of(41, 7);
    private final FieldCipher cipher = new FieldCipher(new byte[32]);

    @Test
    void theSealedTraitIsOpenedToAddressTheMessageAndAShreddedOneIsNoAddress() {
        String sealed = cipher.sealText(tenant, "email:abc", "li.lei@example.cn");
        Addresses addresses = new Addresses(directory(Map.of("email", sealed)), new WebhookEndpoints(null, cipher), cipher,
                new Channels(List.of(), new MockEnvironment().withProperty("siyu.channels.enabled", "")));
        assertThat(addresses.of(tenant, person, "email", Map.of(), Map.of())).contains("li.lei@example.cn");

        cipher.shred(tenant, "email:abc");
        assertThat(addresses.of(tenant, person, "email", Map.of(), Map.of())).isEmpty();
        assertThat(addresses.opened(tenant, sealed)).isNull();
        assertThat(addresses.opened(tenant, "plain")).isEqualTo("plain");
    }

    private ProfileDirectory directory(Map<String, Object> traits) {
        ProfileView view = new ProfileView(person.toString(), List.of("email:abc"), traits,
                new ProfileView.Stats(null, null, 0, Map.of(), Map.of(), Map.of(), 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, null, 0,
                        BigDecimal.ZERO, List.of(), null, null),
                List.of(), Map.of(), List.of());
        return new ProfileDirectory() {
            @Override
            public Optional<ProfileView> find(TenantId t, PersonId p) {
                return Optional.of(view);
            }

            @Override
            public Optional<ProfileView> find(TenantId t, Identifier identifier) {
                return Optional.of(view);
            }
        };
    }
}
