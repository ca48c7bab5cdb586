package io.siyu.service.wecom;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.ingestion.WeComServiceCallbacks;
import io.siyu.platform.TenantId;
import io.siyu.service.desk.ServiceDesk;
import io.siyu.service.nlu.LanguageUnderstanding;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes customer messages in from WeCom Customer Service. The callback only says "messages are
 * waiting"; the pull runs on its own thread so the callback is answered at once. One pull per kf
 * account at a time: from the stored cursor, page after page while {@code has_more} (at most
 * {@value #MAX_PAGES} pages per callback), each customer text in its own transaction that records
 * its msgid first, so a retried callback or a replayed page changes nothing. The cursor is stored
 * after each page. A message becomes a turn of the conversation of (kf account, customer), person
 * {@code wecom_external_userid:…}; the desk answers it (or not, while a human owns the
 * conversation) and {@link KfOutbox} sends what was said.
 */
@Component
class KfInbox implements WeComServiceCallbacks, DisposableBean {

    static final int PAGE_SIZE = 1000;
    static final int MAX_PAGES = 20;
    private static final Logger log = LoggerFactory.getLogger(KfInbox.class);

    private final KfSettings settings;
    private final KfClient client;
    private final KfStore store;
    private final KfOutbox outbox;
    private final ServiceDesk desk;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, ReentrantLock> pulling = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("siyu-wecom-kf-pull-", 0).factory());

    KfInbox(KfSettings settings, KfClient client, KfStore store, KfOutbox outbox, ServiceDesk desk, TransactionTemplate transactions,
            Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.client = client;
        this.store = store;
        this.outbox = outbox;
        this.desk = desk;
        this.transactions = transactions;
        this.clock = clock;
        this.meters = meters;
    }

    @Override
    public void messagesWaiting(TenantId tenant, String corpId, String openKfId, String token) {
        workers.execute(() -> pull(tenant, corpId, openKfId, token));
    }

    /** Pulls and handles what is waiting for one kf account; answers how many messages were new. */
    int pull(TenantId tenant, String corpId, String openKfId, String token) {
        ReentrantLock lock = pulling.computeIfAbsent(tenant.value() + "/" + openKfId, k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<KfSettings.Settings> kf = settings.open(tenant);
            if (kf.isEmpty()) {
                meters.counter("siyu.service.wecom.pulls", "outcome", "not_configured").increment();
                return 0;
            }
            int taken = 0;
            @Nullable String cursor = store.cursor(tenant, openKfId).orElse(null);
            for (int page = 0; page < MAX_PAGES; page++) {
                KfClient.Page answer = client.sync(tenant, corpId, kf.get(), openKfId, token, cursor, PAGE_SIZE);
                for (KfMessage message : answer.messages()) {
                    taken += take(tenant, corpId, message) ? 1 : 0;
                }
                if (!answer.nextCursor().isEmpty() && answer.nextCursor().length() <= 256) {
                    cursor = answer.nextCursor();
                    store.saveCursor(tenant, openKfId, cursor, clock.instant());
                }
                if (!answer.hasMore()) {
                    break;
                }
            }
            meters.counter("siyu.service.wecom.pulls", "outcome", "pulled").increment();
            return taken;
        } catch (KfCallFailed e) {
            // the cursor stays where the last good page left it; WeCom's next callback pulls again
            meters.counter("siyu.service.wecom.pulls", "outcome", "failed").increment();
            log.warn("WeCom kf/sync_msg for tenant {} kf {} failed: {}", tenant.value(), openKfId, e.getMessage());
            return 0;
        } catch (RuntimeException e) {
            meters.counter("siyu.service.wecom.pulls", "outcome", "failed").increment();
            log.error("Taking WeCom messages of tenant {} kf {} failed", tenant.value(), openKfId, e);
            return 0;
        } finally {
            lock.unlock();
            outbox.flushLater(tenant);
        }
    }

    /** One entry of the list: a customer text seen for the first time becomes a turn; anything else is counted and left. */
    private boolean take(TenantId tenant, String corpId, KfMessage message) {
        String skip = message.skipReason();
        if (skip != null) {
            meters.counter("siyu.service.wecom.messages", "outcome", "skipped_" + skip).increment();
            return false;
        }
        String text = java.util.Objects.requireNonNull(message.text()); // skipReason() refused a missing one
        String turn = text.length() > LanguageUnderstanding.MAX_CHARS ? text.substring(0, LanguageUnderstanding.MAX_CHARS) : text;
        Boolean fresh = transactions.execute(status -> {
            Instant now = clock.instant();
            if (!store.firstSight(tenant, message.msgid(), now)) {
                return false;
            }
            UUID conversation = store.chat(tenant, message.openKfId(), message.externalUserId())
                    .map(KfStore.Chat::conversation)
                    .orElseGet(() -> {
                        UUID id = desk.open(tenant, "wecom", "wecom_external_userid:" + message.externalUserId()).id();
                        store.addChat(new KfStore.Chat(id, tenant, corpId, message.openKfId(), message.externalUserId()), now);
                        return id;
                    });
            desk.receive(tenant, conversation, turn, clientMessageId(message.msgid()));
            return true;
        });
        meters.counter("siyu.service.wecom.messages", "outcome", Boolean.TRUE.equals(fresh) ? "taken" : "duplicate").increment();
        return Boolean.TRUE.equals(fresh);
    }

    private static String clientMessageId(String msgid) {
        return "wecom-kf:" + msgid;
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
