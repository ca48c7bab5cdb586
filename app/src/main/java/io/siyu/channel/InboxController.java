package io.siyu.channel;

import io.siyu.identity.PersonId;
import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import io.siyu.platform.TenantId;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A person's in-app inbox: list, read one (the first read is a Message Opened event), read all. */
@RestController
@RequestMapping("/api/v1/inbox/{person}")
class InboxController {

    private final Inbox inbox;
    private final Receipts receipts;
    private final Clock clock;

    InboxController(Inbox inbox, Receipts receipts, Clock clock) {
        this.inbox = inbox;
        this.receipts = receipts;
        this.clock = clock;
    }

    @GetMapping
    Map<String, Object> list(TenantId tenant, @PathVariable String person, @RequestParam(defaultValue = "false") boolean unread,
            @RequestParam(defaultValue = "" + Long.MAX_VALUE) long before, @RequestParam(defaultValue = "50") int limit) {
        Names.limit(limit, 500);
        PersonId id = person(tenant, person);
        List<Inbox.Item> items = inbox.list(tenant, id, unread, before, limit);
        return Map.of("items", items, "unread", inbox.unread(tenant, id));
    }

    @PostMapping("/{id}/read")
    Map<String, Object> read(TenantId tenant, @PathVariable String person, @PathVariable long id) {
        PersonId who = person(tenant, person);
        Inbox.Read read = inbox.markRead(tenant, who, id, clock.instant());
        if (read == Inbox.Read.NOT_FOUND) {
            throw new NotFound("no inbox message " + id + " for this person / 消息不存在");
        }
        Inbox.Item item = inbox.find(tenant, who, id).orElseThrow();
        if (read == Inbox.Read.FIRST_READ) {
            receipts.record(tenant, who, "Message Opened", "opened-" + item.messageId(), item.messageId(), "inapp", Map.of());
        }
        return Map.of("item", item, "firstRead", read == Inbox.Read.FIRST_READ);
    }

    @PostMapping("/read-all")
    Map<String, Object> readAll(TenantId tenant, @PathVariable String person) {
        return Map.of("marked", inbox.markAllRead(tenant, person(tenant, person), clock.instant()));
    }

    private static PersonId person(TenantId tenant, String text) {
        PersonId id;
        try {
            id = PersonId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("person", "uuid", "person must be a person id (UUID)");
        }
        if (id.tenant() != tenant.value()) {
            throw new NotFound("no such person in this tenant");
        }
        return id;
    }
}
