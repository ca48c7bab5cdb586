package io.siyu.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.siyu.platform.TenantId;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SMTP provider against a real SMTP server (GreenMail). */
class EmailChannelTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    private static ChannelProvider provider(int port) {
        return new EmailChannel().create(new ChannelConfig("email", Map.of("host", "127.0.0.1", "port", Integer.toString(port),
                "from", "思域 <news@siyu.test>", "username", "", "security", "none", "timeout-ms", "2000")));
    }

    @Test
    void deliversHtmlMailWithChineseSubjectAndItsMessageIdToTheRelay() throws Exception {
        OutgoingMessage message = new OutgoingMessage(new TenantId(7), "journey-1:42", null, "email", "li.lei@example.cn",
                "双十一会员专享", "<p>李雷，您好！<a href=\"https://shop.example.cn/x\">去看看</a></p>");
        ChannelProvider.Delivery delivery = provider(smtp.getSmtp().getPort()).send(message);
        assertThat(delivery).isEqualTo(new ChannelProvider.Delivery.Sent("<journey-1:42@siyu>", true));
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("双十一会员专享");
        assertThat(received[0].getMessageID()).isEqualTo("<journey-1:42@siyu>");
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("li.lei@example.cn");
        assertThat(received[0].getContentType()).startsWith("text/html");
        assertThat(GreenMailUtil.getBody(received[0])).isNotBlank();
        assertThat(received[0].getContent().toString()).contains("李雷，您好");
    }

    @Test
    void retriesWhenTheRelayCannotBeReachedAndRejectsABadAddress() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        OutgoingMessage message = new OutgoingMessage(new TenantId(7), "m-2", null, "email", "a@b.cn", "s", "b");
        assertThat(provider(closed).send(message)).isInstanceOf(ChannelProvider.Delivery.RetryLater.class);
        OutgoingMessage bad = new OutgoingMessage(new TenantId(7), "m-3", null, "email", "not an address", "s", "b");
        assertThat(provider(smtp.getSmtp().getPort()).send(bad)).isInstanceOf(ChannelProvider.Delivery.Rejected.class);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }
}
