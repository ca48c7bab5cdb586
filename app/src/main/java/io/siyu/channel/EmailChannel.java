package io.siyu.channel;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail through an SMTP relay (Jakarta Mail). HTML body with the open pixel and tracked links the
 * renderer put in.
 *
 * <p>Idempotency: SMTP has no idempotency key. Each message carries {@code Message-ID:
 * <messageId@siyu>}, but a relay that accepted DATA and then lost the connection before answering
 * cannot be told apart from one that did not, and a retry would put a second copy in a real inbox.
 * So only failures to connect are retried; everything after the connection is final (FAILED, in
 * the dead-letter list for an operator to replay).
 *
 * <p>Receipts: the relay's acceptance is recorded as Message Delivered (SMTP reports nothing
 * later unless delivery fails). A failure comes back as a bounce to the envelope sender
 * ({@code bounce-address}); with {@code bounce-imap-*} set, that mailbox is read and each DSN
 * becomes a Message Failed event for the message whose Message-ID it quotes.
 */
@Component
class EmailChannel implements ChannelProviderFactory {

    @Override
    public String id() {
        return "email";
    }

    @Override
    public String help() {
        return "E-mail / 邮件 through an SMTP relay";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(
                ConfigOption.required("host", "SMTP relay host name, e.g. smtp.exmail.qq.com"),
                ConfigOption.optional("port", "SMTP port: 25, 465 (TLS) or 587 (STARTTLS)", "25"),
                ConfigOption.required("from", "sender address, e.g. 品牌 <news@brand.cn>"),
                ConfigOption.optional("username", "SMTP user; blank for an open relay", ""),
                new ConfigOption("password", "SMTP password", false, true, null),
                ConfigOption.optional("security", "none, starttls or tls", "none"),
                ConfigOption.optional("timeout-ms", "connect and read timeout", "10000"),
                ConfigOption.optional("bounce-address", "envelope sender (Return-Path) where bounces go, e.g. bounces@brand.cn; "
                        + "blank: the from address", ""),
                ConfigOption.optional("bounce-imap-host", "IMAP host of the bounce mailbox, read for delivery status notifications; "
                        + "blank: bounces are not read", ""),
                ConfigOption.optional("bounce-imap-port", "IMAP port: 993 (TLS) or 143", "993"),
                ConfigOption.optional("bounce-imap-security", "tls or none", "tls"),
                ConfigOption.optional("bounce-imap-username", "IMAP user of the bounce mailbox", ""),
                new ConfigOption("bounce-imap-password", "IMAP password of the bounce mailbox", false, true, null));
    }

    @Override
    public ChannelProvider create(ChannelConfig config) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(config.get("host"));
        sender.setPort(config.integer("port"));
        sender.setDefaultEncoding("UTF-8");
        InternetAddress from;
        try {
            from = new InternetAddress(config.get("from"), true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new ChannelConfig.Invalid("siyu.channels.email.from is not an e-mail address: " + e.getMessage());
        }
        Properties props = sender.getJavaMailProperties();
        String timeout = Integer.toString(config.integer("timeout-ms"));
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        String user = config.optional("username");
        if (user != null && !user.isBlank()) {
            sender.setUsername(user);
            sender.setPassword(config.get("password"));
            props.put("mail.smtp.auth", "true");
        }
        switch (config.get("security")) {
            case "none" -> { }
            case "starttls" -> props.put("mail.smtp.starttls.required", "true");
            case "tls" -> props.put("mail.smtp.ssl.enable", "true");
            default -> throw new ChannelConfig.Invalid("siyu.channels.email.security must be none, starttls or tls");
        }
        String bounceAddress = config.optional("bounce-address");
        if (bounceAddress != null && !bounceAddress.isBlank()) {
            try {
                props.put("mail.smtp.from", new InternetAddress(bounceAddress, true).getAddress());
            } catch (jakarta.mail.internet.AddressException e) {
                throw new ChannelConfig.Invalid("siyu.channels.email.bounce-address is not an e-mail address: " + e.getMessage());
            }
        }
        BounceMailbox mailbox = bounceMailbox(config);
        final class Smtp implements ChannelProvider, BounceSource {
            @Override
            public String id() {
                return "email";
            }

            @Override
            public int pollBounces(BounceMailbox.Handler handler) throws Exception {
                return mailbox == null ? 0 : mailbox.poll(handler);
            }

            @Override
            public Delivery send(OutgoingMessage message) {
                try {
                    MimeMessage mime = new MimeMessage(sender.getSession()) {
                        @Override
                        protected void updateMessageID() throws MessagingException {
                            setHeader("Message-ID", "<" + message.messageId() + "@siyu>");
                        }
                    };
                    MimeMessageHelper helper = new MimeMessageHelper(mime, false, "UTF-8");
                    helper.setFrom(from);
                    helper.setTo(new InternetAddress(message.address(), true));
                    helper.setSubject(message.subject() == null ? "" : message.subject());
                    helper.setText(message.body(), true);
                    sender.send(mime);
                    return new Delivery.Sent("<" + message.messageId() + "@siyu>", true);
                } catch (MailAuthenticationException e) {
                    return new Delivery.Rejected("SMTP authentication failed: " + e.getMessage());
                } catch (MailSendException e) {
                    if (connectFailed(e)) {
                        return new Delivery.RetryLater(Duration.ZERO, "SMTP connect: " + e.getMessage());
                    }
                    return new Delivery.Rejected("SMTP: " + e.getMessage());
                } catch (MessagingException | org.springframework.mail.MailException e) {
                    return new Delivery.Rejected("e-mail: " + e.getMessage());
                }
            }
        }
        return new Smtp();
    }

    private static @org.jspecify.annotations.Nullable BounceMailbox bounceMailbox(ChannelConfig config) {
        String host = config.optional("bounce-imap-host");
        if (host == null || host.isBlank()) {
            return null;
        }
        String security = config.get("bounce-imap-security");
        if (!security.equals("tls") && !security.equals("none")) {
            throw new ChannelConfig.Invalid("siyu.channels.email.bounce-imap-security must be tls or none");
        }
        String user = config.optional("bounce-imap-username");
        if (user == null || user.isBlank()) {
            throw new ChannelConfig.Invalid("siyu.channels.email.bounce-imap-username is required when bounce-imap-host is set");
        }
        String password = config.optional("bounce-imap-password");
        return new BounceMailbox(host, config.integer("bounce-imap-port"), security.equals("tls"), user,
                password == null ? "" : password, config.integer("timeout-ms"));
    }

    private static boolean connectFailed(MailSendException e) {
        for (Exception failure : e.getFailedMessages().values()) {
            if (failure instanceof SendFailedException) {
                return false;
            }
        }
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException) {
                return true;
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return false;
    }
}
