package io.siyu.ingestion.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siyu.ingestion.wecom.WeComFixtures.App;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.Unauthorized;
import me.chanjar.weixin.common.util.crypto.SHA1;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class WeComAppTest {

    private final App fixture = App.random();
    private final WeComApp app = WeComApp.validated(fixture.corpId(), fixture.token(), fixture.encodingAesKey(), "1000002");

    @Test
    void opensWhatWxJavaEncrypted() {
        String encrypted = fixture.encrypt("<xml><MsgType>event</MsgType></xml>");

        assertThat(app.open(SHA1.gen(fixture.token(), "1", "n", encrypted), "1", "n", encrypted, "Encrypt"))
                .isEqualTo("<xml><MsgType>event</MsgType></xml>");
    }

    @Test
    void refusesASignatureMadeWithAnotherToken() {
        String encrypted = fixture.encrypt("hello");

        assertThatThrownBy(() -> app.open(SHA1.gen("otherToken", "1", "n", encrypted), "1", "n", encrypted, "Encrypt"))
                .isInstanceOf(Unauthorized.class);
    }

    /** Under a wrong key the length inside is random; without the guard WxJava would allocate it. */
    @RepeatedTest(50)
    void refusesAPayloadUnderAnotherKeyWithoutTrustingTheLengthInside() {
        App otherKey = new App(fixture.corpId(), fixture.token(), App.random().encodingAesKey(), "1000002");
        String encrypted = otherKey.encrypt("x".repeat(2000));

        assertThatThrownBy(() -> app.open(SHA1.gen(fixture.token(), "1", "n", encrypted), "1", "n", encrypted, "echostr"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.violations().getFirst().field()).isEqualTo("echostr");
                    assertThat(e.violations().getFirst().rule()).isEqualTo("decrypt");
                });
    }

    @Test
    void keepsSecretsOutOfItsStringForm() {
        assertThat(app.toString()).doesNotContain(fixture.token()).doesNotContain(fixture.encodingAesKey());
    }
}
