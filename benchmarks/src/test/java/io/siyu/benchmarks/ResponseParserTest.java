package io.siyu.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The response framing of the selector client, fed whole, in two pieces at every split, and a byte at a time. */
class ResponseParserTest {

    private static final String LENGTH = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 16\r\n"
            + "Keep-Alive: timeout=60\r\n\r\n{\"success\":true}";
    private static final String CHUNKED = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: gzip, Chunked\r\n"
            + "Retry-After: 1\r\n\r\n5;name=value\r\nhello\r\n1A \r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
    private static final String CLOSING = "HTTP/1.1 200 \r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nok";
    private static final String INTERIM = "HTTP/1.1 100 Continue\r\nX-Ignored: 1\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
    private static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\nX-Long: " + "x".repeat(1_000) + "\r\n\r\n";

    @Test
    void framesEachResponseWhateverPiecesItArrivesIn() throws ProtocolException {
        expect(LENGTH, 200, false);
        expect(CHUNKED, 503, false);
        expect(CLOSING, 200, true);
        expect(INTERIM, 201, false);
        expect(NO_CONTENT, 204, false);
    }

    @Test
    void stopsAtTheEndOfTheResponseAndLeavesWhatFollows() throws ProtocolException {
        ByteBuffer two = bytes(LENGTH + CLOSING);
        ResponseParser parser = new ResponseParser();
        assertThat(parser.consume(two)).isTrue();
        assertThat(two.remaining()).isEqualTo(CLOSING.length());
        parser.reset();
        assertThat(parser.consume(two)).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(parser.closeAfter()).isTrue();
        assertThat(two.hasRemaining()).isFalse();
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws ProtocolException {
        ResponseParser parser = new ResponseParser();
        assertThat(parser.consume(bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body"))).isFalse();
        assertThat(parser.consume(bytes("more body"))).isFalse();
        assertThat(parser.closed()).isTrue();
        assertThat(parser.closeAfter()).isTrue();
    }

    @Test
    void aConnectionClosedMidResponseLeavesItIncomplete() throws ProtocolException {
        ResponseParser parser = new ResponseParser();
        assertThat(parser.consume(bytes(LENGTH.substring(0, LENGTH.length() - 3)))).isFalse();
        assertThat(parser.closed()).isFalse();
        parser.reset();
        assertThat(parser.consume(bytes(CHUNKED.substring(0, CHUNKED.length() - 2)))).isFalse();
        assertThat(parser.closed()).isFalse();
    }

    @Test
    void refusesWhatIsNotAnHttp11Response() {
        refuses("HTTP/1.0 200 OK\r\n\r\n", "not an HTTP/1.1 status line");
        refuses("HTTP/1.1 2x0 OK\r\n\r\n", "not an HTTP/1.1 status line");
        refuses("<html>hello</html>\r\n", "not an HTTP/1.1 status line");
        refuses("HTTP/1.1 200 OK\r\nContent-Length: 1O\r\n\r\n", "not a Content-Length");
        refuses("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "not a Content-Length");
        refuses("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "without a colon");
        refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", "not a chunk size");
        refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "chunk data longer");
        refuses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", "more than 15 hex digits");
        refuses("HTTP/1.1 200 OK\r\nConnection: " + "keep-alive, ".repeat(30) + "close\r\n\r\n", "framing header longer");
    }

    private static void expect(String response, int status, boolean close) throws ProtocolException {
        ResponseParser whole = new ResponseParser();
        ByteBuffer all = bytes(response);
        assertThat(whole.consume(all)).as(response).isTrue();
        assertThat(all.hasRemaining()).isFalse();
        assertThat(whole.status()).isEqualTo(status);
        assertThat(whole.closeAfter()).isEqualTo(close);

        ResponseParser parser = new ResponseParser(); // reused: reset must forget the previous response
        byte[] raw = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < raw.length; split++) {
            parser.reset();
            assertThat(parser.consume(ByteBuffer.wrap(raw, 0, split))).as("first %d bytes of %s", split, response).isFalse();
            ByteBuffer rest = ByteBuffer.wrap(raw, split, raw.length - split);
            assertThat(parser.consume(rest)).as("after %d bytes of %s", split, response).isTrue();
            assertThat(rest.hasRemaining()).isFalse();
            assertThat(parser.status()).isEqualTo(status);
            assertThat(parser.closeAfter()).isEqualTo(close);
        }
        parser.reset();
        for (int i = 0; i < raw.length; i++) {
            ByteBuffer one = ByteBuffer.allocateDirect(1).put(raw[i]).flip();
            assertThat(parser.consume(one)).isEqualTo(i == raw.length - 1);
        }
        assertThat(parser.status()).isEqualTo(status);
    }

    private static void refuses(String response, String message) {
        assertThatThrownBy(() -> new ResponseParser().consume(bytes(response)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining(message);
    }

    private static ByteBuffer bytes(String s) {
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(raw.length).put(raw).flip();
    }
}
