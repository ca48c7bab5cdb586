package io.siyu.service.desk;

import io.siyu.service.desk.Conversations.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent event streams of conversations for the web chat widget: every bot, agent and system
 * message is pushed to the widgets listening on its conversation. A widget that reconnects asks
 * for messages after the last seq it saw, so nothing is lost between streams.
 */
@Component
class ConversationStreams implements org.springframework.context.SmartLifecycle {

    private volatile boolean running;

    static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;

    private final Map<UUID, List<SseEmitter>> listeners = new ConcurrentHashMap<>();

    SseEmitter listen(UUID conversation, List<Message> backlog) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        List<SseEmitter> list = listeners.computeIfAbsent(conversation, id -> new CopyOnWriteArrayList<>());
        list.add(emitter);
        Runnable remove = () -> list.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        try {
            emitter.send(SseEmitter.event().comment("connected")); // commits the response so the widget knows it is live
        } catch (IOException e) {
            list.remove(emitter);
            emitter.completeWithError(e);
            return emitter;
        }
        for (Message message : backlog) {
            send(list, emitter, message);
        }
        return emitter;
    }

    void publish(UUID conversation, Message message) {
        List<SseEmitter> list = listeners.get(conversation);
        if (list != null) {
            for (SseEmitter emitter : list) {
                send(list, emitter, message);
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown (this runs in an earlier
     * stop phase): a widget holds its request open for up to 30 minutes and would otherwise hold
     * the shutdown for its whole grace period. Widgets reconnect and resume from their last seq.
     */
    @Override
    public void stop() {
        running = false;
        listeners.values().forEach(list -> {
            list.forEach(SseEmitter::complete);
            list.clear();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void send(List<SseEmitter> list, SseEmitter emitter, Message message) {
        try {
            emitter.send(SseEmitter.event().id(Integer.toString(message.seq())).name("message").data(message));
        } catch (IOException | IllegalStateException e) {
            // the widget went away; it resumes from its last seq when it reconnects
            list.remove(emitter);
            emitter.completeWithError(e);
        }
    }
}
