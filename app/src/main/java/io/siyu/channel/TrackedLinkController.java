package io.siyu.channel;

import io.siyu.platform.InvalidInput;
import io.siyu.platform.NotFound;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public ends of tracked e-mail: the open pixel ({@code /t/o/…}) and click redirects
 * ({@code /t/c/…}). Both answer only to tokens Siyu signed; a click redirect never follows a URL
 * that is not in the token, so the endpoint cannot be abused as an open redirect.
 */
@RestController
class TrackedLinkController {

    /** The smallest transparent GIF. */
    static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final Tracking tracking;
    private final Outbox outbox;
    private final Receipts receipts;

    TrackedLinkController(Tracking tracking, Outbox outbox, Receipts receipts) {
        this.tracking = tracking;
        this.outbox = outbox;
        this.receipts = receipts;
    }

    @GetMapping("/t/o/{token}")
    ResponseEntity<byte[]> opened(@PathVariable String token) {
        Tracking.Target target = tracking.verify(token).filter(t -> t.url().isEmpty())
                .orElseThrow(() -> new NotFound("unknown tracking token"));
        outbox.find(target.tenant(), target.messageId()).ifPresent(entry -> receipts.record(entry.tenant(), entry.person(),
                "Message Opened", "opened-" + entry.messageId(), entry.messageId(), entry.channel(), Map.of()));
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).cacheControl(CacheControl.noStore()).body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    ResponseEntity<Void> clicked(@PathVariable String token) {
        Tracking.Target target = tracking.verify(token).filter(t -> !t.url().isEmpty())
                .orElseThrow(() -> new InvalidInput("token", "signature",
                        "这个链接无效 / this link was not issued by Siyu; refusing to redirect"));
        outbox.find(target.tenant(), target.messageId()).ifPresent(entry -> receipts.record(entry.tenant(), entry.person(),
                "Message Clicked", "clicked-" + UUID.randomUUID(), entry.messageId(), entry.channel(),
                Map.of("url", target.url())));
        HttpHeaders headers = new HttpHeaders();
        headers.setLocation(URI.create(target.url()));
        headers.setCacheControl(CacheControl.noStore());
        return new ResponseEntity<>(headers, HttpStatus.FOUND);
    }
}
