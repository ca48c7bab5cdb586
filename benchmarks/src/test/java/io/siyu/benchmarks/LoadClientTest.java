package io.siyu.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both load clients against a small HTTP/1.1 server on a real socket that answers in a fixed
 * rotation of framings: what each client counts must be what the server answered.
 */
class LoadClientTest {

    /** What the server answers, in turn. */
    enum Answer {
        LENGTH("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"success\":true}", true),
        CHUNKED("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"su\r\nC\r\nccess\":true}\r\n0\r\nX-T: 1\r\n\r\n", true),
        REFUSED("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 11\r\n\r\nbusy, sorry", false),
        /** Written in three pieces with pauses, so the client sees it arrive over several reads. */
        SPLIT("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{\"success\":true}", true),
        CLOSE("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", true),
        /** Neither length nor chunks: the body ends when the server closes. */
        UNTIL_CLOSE("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nthe end is the close", true),
        /** What the blocking client does not read (it fails on the interim status line). */
        INTERIM("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
        GARBAGE("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false);

        final String text;
        final boolean ok;

        Answer(String text, boolean ok) {
            this.text = text;
            this.ok = ok;
        }

        boolean closes() {
            return this == CLOSE || this == UNTIL_CLOSE || this == GARBAGE;
        }
    }

    private static final List<Answer> EVERY_FRAMING = List.of(Answer.LENGTH, Answer.CHUNKED, Answer.REFUSED, Answer.SPLIT,
            Answer.LENGTH, Answer.CLOSE, Answer.UNTIL_CLOSE, Answer.CHUNKED);

    private final List<Payloads.Request> requests = Payloads.singles(Payloads.events(2_000, 500, 7), "127.0.0.1", "key");

    @ParameterizedTest
    @ValueSource(strings = {"nio", "nio-2", "blocking"})
    void closedLoopCountsWhatTheServerAnswered(String client) throws IOException {
        try (ScriptedServer server = new ScriptedServer(EVERY_FRAMING)) {
            LoadClient.Result result = client(client, server).closedLoop(requests, 5, 2.0);

            assertThat(result.requests()).isPositive().isEqualTo(server.ok.get());
            assertThat(result.events()).isEqualTo(server.ok.get());
            assertThat(result.errors()).isPositive().isEqualTo(server.refused.get());
            assertThat(result.latencyMicros().getTotalCount()).isEqualTo(server.ok.get() + server.refused.get());
            assertThat(result.reconnects()).isEqualTo(server.connections.get()).isGreaterThan(5);
            assertThat(server.messageIds).hasSize((int) (server.ok.get() + server.refused.get()));
            assertThat(server.pipelined.get()).isZero();
        }
    }

    @Test
    void selectorClientSkipsInterimResponses() throws IOException {
        try (ScriptedServer server = new ScriptedServer(List.of(Answer.INTERIM, Answer.LENGTH))) {
            LoadClient.Result result = client("nio", server).closedLoop(requests, 3, 0.5);

            assertThat(result.requests()).isPositive().isEqualTo(server.ok.get());
            assertThat(result.errors()).isZero();
            assertThat(result.reconnects()).isEqualTo(3);
        }
    }

    @Test
    void selectorClientWritesRequestsLargerThanTheSocketCanTakeAtOnce() throws IOException {
        // 8 MB is more than a send buffer grows to (net.ipv4.tcp_wmem at most 4 MB by default) and the
        // server's receive buffer is small, so each request goes out over several writes
        List<Payloads.Request> large = List.of(large(8 << 20), large(8 << 20));
        try (ScriptedServer server = new ScriptedServer(List.of(Answer.LENGTH, Answer.CHUNKED))) {
            LoadClient.Result result = client("nio", server).closedLoop(large, 2, 1.0);

            assertThat(result.requests()).isPositive().isEqualTo(server.ok.get());
            assertThat(result.errors()).isZero();
            assertThat(server.messageIds).hasSize((int) server.ok.get());
        }
    }

    @Test
    void openLoopSendsNoMoreThanItsSchedule() throws IOException {
        try (ScriptedServer server = new ScriptedServer(EVERY_FRAMING)) {
            LoadClient.Result result = client("nio", server).openLoop(requests, 4, 1.0, 200);

            long answered = server.ok.get() + server.refused.get();
            assertThat(result.requests()).isPositive().isEqualTo(server.ok.get());
            assertThat(result.errors()).isEqualTo(server.refused.get());
            assertThat(answered).isLessThanOrEqualTo(200 + 4);
            assertThat(result.perSecond()).hasSize(1);
            assertThat(result.perSecond().getFirst().getTotalCount()).isEqualTo(answered);
            assertThat(server.pipelined.get()).isZero();
        }
    }

    @Test
    void selectorClientGivesUpOnAServerThatDoesNotSpeakHttp11() throws IOException {
        try (ScriptedServer server = new ScriptedServer(List.of(Answer.GARBAGE))) {
            assertThatThrownBy(() -> client("nio", server).closedLoop(requests, 1, 60))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not an HTTP/1.1 status line");
            assertThat(server.connections.get()).isEqualTo(101);
        }
    }

    /** A track request whose body is padded to {@code size} bytes. */
    private static Payloads.Request large(int size) {
        String head = "POST /v1/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n";
        String start = "{\"type\":\"track\",\"messageId\":\"bench-000000000000\",\"pad\":\"";
        int pad = size - start.length() - 2;
        String body = start + "x".repeat(pad) + "\"}";
        String request = head.formatted(body.length()) + body;
        int hole = request.indexOf("bench-") + "bench-".length();
        return new Payloads.Request(request.getBytes(StandardCharsets.US_ASCII), new int[] {hole}, 1);
    }

    private static LoadClient client(String name, ScriptedServer server) {
        AtomicLong ids = new AtomicLong(1);
        return switch (name) {
            case "nio" -> new SelectorLoad(server.address(), ids, 1);
            case "nio-2" -> new SelectorLoad(server.address(), ids, 2);
            case "blocking" -> new Load(server.address(), ids, false);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** One virtual thread per connection; counts what it answered. */
    static final class ScriptedServer implements AutoCloseable {
        private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"bench-([0-9a-f]{12})\"");

        private final ServerSocket socket = new ServerSocket();
        private final List<Answer> script;
        private final AtomicLong turn = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        /** Requests that arrived while the one before on their connection had no answer yet. */
        final AtomicLong pipelined = new AtomicLong();
        final Set<String> messageIds = ConcurrentHashMap.newKeySet();

        ScriptedServer(List<Answer> script) throws IOException {
            this.script = script;
            socket.setReceiveBufferSize(32 * 1024); // accepted connections take it: large requests arrive in pieces
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Thread.ofVirtual().start(this::accept);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                connection.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                while (true) {
                    String body = readRequest(in);
                    if (body == null) {
                        return;
                    }
                    Matcher id = MESSAGE_ID.matcher(body);
                    if (!id.find()) {
                        throw new IllegalStateException("no message id in " + body);
                    }
                    messageIds.add(id.group(1));
                    if (in.available() > 0) {
                        pipelined.incrementAndGet();
                    }
                    Answer answer = script.get((int) (turn.getAndIncrement() % script.size()));
                    (answer.ok ? ok : refused).incrementAndGet();
                    byte[] bytes = answer.text.getBytes(StandardCharsets.US_ASCII);
                    if (answer == Answer.SPLIT) {
                        for (int from = 0; from < bytes.length; from += bytes.length / 3 + 1) {
                            out.write(bytes, from, Math.min(bytes.length / 3 + 1, bytes.length - from));
                            out.flush();
                            Thread.sleep(2);
                        }
                    } else {
                        out.write(bytes);
                        out.flush();
                    }
                    if (answer.closes()) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away; its own count says what it saw
            }
        }

        /** The body of the next request, or null when the client closed the connection. */
        private static String readRequest(InputStream in) throws IOException {
            int length = -1;
            String line = readLine(in, false);
            if (line == null) {
                return null;
            }
            if (!line.startsWith("POST /v1/track HTTP/1.1")) {
                throw new IllegalStateException("unexpected request line " + line);
            }
            while (!(line = readLine(in, true)).isEmpty()) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IllegalStateException("body cut short");
            }
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A line without its CR LF; null at the end of the stream where {@code required} is false. */
        private static String readLine(InputStream in, boolean required) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    if (line.size() == 0 && !required) {
                        return null;
                    }
                    throw new IOException("connection closed mid-line");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
