package io.siyu.service.wecom;

import io.micrometer.core.instrument.MeterRegistry;
import io.siyu.platform.TenantId;
import io.siyu.service.desk.ConversationOutbound;
import io.siyu.service.desk.Conversations.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Carries bot and agent replies of WeCom conversations back with {@code kf/send_msg}. A reply is
 * queued in the transaction that writes it to the transcript and sent after that transaction
 * commits, outside it; a send that fails stays queued and is retried (every
 * {@code siyu.service.wecom.retry-every}, and whenever the brand's next message arrives) up to five
 * attempts. Each send carries the queue row's id as msgid, so a resend after a lost answer is not
 * a second message. System notes (the CSAT prompt) stay in Siyu.
 */
@Component
class KfOutbox implements ConversationOutbound, DisposableBean {

    static final int MAX_ATTEMPTS = 5;
    private static final Logger log = LoggerFactory.getLogger(KfOutbox.class);

    private final KfStore store;
    private final KfSettings settings;
    private final KfClient client;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<TenantId, ReentrantLock> sending = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> wecomChats = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("siyu-wecom-kf-send-", 0).factory());
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("siyu-wecom-kf-retry").factory());

    KfOutbox(KfStore store, KfSettings settings, KfClient client, Clock clock, MeterRegistry meters,
            @Value("${siyu.service.wecom.retry-every:30s}") Duration retryEvery) {
        this.store = store;
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.meters = meters;
        retries.scheduleWithFixedDelay(this::retryAll, retryEvery.toMillis(), retryEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void said(TenantId tenant, UUID conversation, Message message) {
        if (!message.sender().equals("bot") && !message.sender().equals("agent")) {
            return;
        }
        if (!isWeComChat(conversation)) {
            return;
        }
        store.enqueue(tenant, conversation, message.seq(), message.text(), clock.instant());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    flushLater(tenant);
                }
            });
        } else {
            flushLater(tenant);
        }
    }

    /**
     * Whether replies of this conversation go to WeCom; remembered, since a conversation never
     * changes channel and the question is asked on every bot reply of every channel.
     */
    private boolean isWeComChat(UUID conversation) {
        Boolean known = wecomChats.get(conversation);
        if (known == null) {
            known = store.chat(conversation).isPresent();
            if (wecomChats.size() >= 100_000) {
                wecomChats.clear();
            }
            wecomChats.put(conversation, known);
        }
        return known;
    }

    void flushLater(TenantId tenant) {
        workers.execute(() -> flush(tenant));
    }

    /** Sends the brand's queued replies, oldest first; one sender per brand at a time. Answers how many went out. */
    int flush(TenantId tenant) {
        ReentrantLock lock = sending.computeIfAbsent(tenant, t -> new ReentrantLock());
        lock.lock();
        try {
            Optional<KfSettings.Settings> kf = settings.open(tenant);
            if (kf.isEmpty()) {
                return 0;
            }
            int sent = 0;
            List<KfStore.Pending> batch;
            do {
                batch = store.pending(tenant, 50);
                Set<UUID> held = new HashSet<>(); // after a failure, a conversation's later replies wait: the customer reads them in order
                for (KfStore.Pending reply : batch) {
                    if (held.contains(reply.conversation())) {
                        continue;
                    }
                    if (send(tenant, kf.get(), reply)) {
                        sent++;
                    } else {
                        held.add(reply.conversation());
                    }
                }
                if (!held.isEmpty()) {
                    break; // the rest waits for the retry timer
                }
            } while (batch.size() == 50);
            return sent;
        } catch (RuntimeException e) {
            log.error("Sending WeCom replies of tenant {} failed", tenant.value(), e);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private boolean send(TenantId tenant, KfSettings.Settings kf, KfStore.Pending reply) {
        KfStore.Chat chat = store.chat(reply.conversation()).orElseThrow();
        try {
            String msgid = client.send(tenant, chat.corpId(), kf, chat.openKfId(), chat.externalUserId(), "siyu-" + reply.id(), reply.text());
            store.sent(reply.id(), msgid, clock.instant());
            meters.counter("siyu.service.wecom.replies", "outcome", "sent").increment();
            return true;
        } catch (KfCallFailed e) {
            store.failed(reply.id(), e.getMessage() == null ? "failed" : e.getMessage(), MAX_ATTEMPTS);
            meters.counter("siyu.service.wecom.replies", "outcome", reply.attempts() + 1 >= MAX_ATTEMPTS ? "given_up" : "retry").increment();
            log.warn("WeCom send_msg for conversation {} failed (attempt {}): {}", reply.conversation(), reply.attempts() + 1, e.getMessage());
            return false;
        }
    }

    private void retryAll() {
        try {
            store.tenantsWithPending().forEach(this::flush);
        } catch (RuntimeException e) {
            log.error("WeCom reply retry failed", e);
        }
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
        workers.shutdownNow();
    }
}
