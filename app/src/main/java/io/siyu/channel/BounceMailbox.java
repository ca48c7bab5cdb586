package io.siyu.channel;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mailbox that receives bounces: Siyu sends with this address as the envelope sender
 * (Return-Path), so receiving servers send their delivery status notifications (DSN, RFC 3464:
 * {@code multipart/report; report-type=delivery-status}) here. Each poll reads the unseen mail over
 * IMAP, turns every DSN whose action is {@code failed} into a {@link Bounce} naming the original
 * Message-ID and recipient, and deletes it once handled. Anything else (auto-replies, delayed
 * notices) is marked seen and left for a person to read.
 */
final class BounceMailbox {

    /** One recipient the DSN reports as failed. */
    record Bounce(String messageId, String recipient, String status, String diagnostic) {
        String reason() {
            return "bounce " + status + (diagnostic.isEmpty() ? "" : ": " + diagnostic);
        }
    }

    /** Records one bounce; throws to leave the DSN in the mailbox for the next poll. */
    @FunctionalInterface
    interface Handler {
        void bounced(Bounce bounce);
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\s]{1,300}>)");
    private static final Pattern FIELD = Pattern.compile("(?im)^([A-Za-z-]+):\\s*(.*(?:\\r?\\n[ \\t].*)*)");

    private final Session session;
    private final String protocol;
    private final String host;
    private final int port;
    private final String username;
    private final String password;

    BounceMailbox(String host, int port, boolean tls, String username, String password, int timeoutMillis) {
        this.protocol = tls ? "imaps" : "imap";
        Properties props = new Properties();
        props.put("mail." + protocol + ".connectiontimeout", Integer.toString(timeoutMillis));
        props.put("mail." + protocol + ".timeout", Integer.toString(timeoutMillis));
        this.session = Session.getInstance(props);
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /** @return the number of DSNs handled and deleted */
    int poll(Handler handler) throws MessagingException, IOException {
        int handled = 0;
        try (Store store = session.getStore(protocol)) {
            store.connect(host, port, username, password);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                for (Message message : inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))) {
                    List<Bounce> bounces = read(message);
                    for (Bounce bounce : bounces) {
                        handler.bounced(bounce);
                    }
                    message.setFlag(bounces.isEmpty() ? Flags.Flag.SEEN : Flags.Flag.DELETED, true);
                    handled += bounces.isEmpty() ? 0 : 1;
                }
            } finally {
                inbox.close(true);
            }
        }
        return handled;
    }

    /** The failed recipients a DSN reports, with the original Message-ID; empty for anything that is not a DSN. */
    static List<Bounce> read(Message message) throws MessagingException, IOException {
        if (!message.isMimeType("multipart/report") || !(message.getContent() instanceof Multipart parts)) {
            return List.of();
        }
        String status = null;
        String original = null;
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
                status = text(part);
            } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")
                    || part.isMimeType("message/global-headers")) {
                original = text(part);
            }
        }
        if (status == null || original == null) {
            return List.of();
        }
        Matcher id = MESSAGE_ID.matcher(original);
        if (!id.find()) {
            return List.of();
        }
        List<Bounce> out = new ArrayList<>();
        // per-message fields first, then one block per recipient, blocks separated by blank lines
        for (String block : status.split("\\r?\\n\\s*\\r?\\n")) {
            Optional<String> recipient = field(block, "Final-Recipient").map(BounceMailbox::address);
            Optional<String> action = field(block, "Action");
            if (recipient.isPresent() && action.isPresent() && action.get().trim().equalsIgnoreCase("failed")) {
                out.add(new Bounce(id.group(1), recipient.get(), field(block, "Status").orElse("5.0.0").trim(),
                        field(block, "Diagnostic-Code").map(d -> d.replaceAll("\\s+", " ").trim()).orElse("")));
            }
        }
        return out;
    }

    private static Optional<String> field(String block, String name) {
        Matcher m = FIELD.matcher(block);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    /** {@code rfc822; li.lei@example.cn} → {@code li.lei@example.cn}. */
    private static String address(String typed) {
        int semi = typed.indexOf(';');
        return (semi < 0 ? typed : typed.substring(semi + 1)).trim();
    }

    private static String text(Part part) throws MessagingException, IOException {
        try (var in = part.getInputStream()) {
            return new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8);
        }
    }
}
