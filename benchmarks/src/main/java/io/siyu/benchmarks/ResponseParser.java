package io.siyu.benchmarks;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Reads one HTTP/1.1 response at a time from whatever bytes have arrived, for a client that
 * serves many connections from one thread and so cannot block until a whole response is in. Keeps
 * the status code and only the headers that frame the body ({@code Content-Length},
 * {@code Transfer-Encoding: chunked}, {@code Connection: close}); the body is counted, not kept.
 * Interim (1xx) responses are skipped; 204 and 304 have no body; a response with neither length
 * nor chunking ends when the server closes the connection. Allocates nothing per response.
 */
final class ResponseParser {

    private enum State { STATUS, HEADER, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, UNTIL_CLOSE, DONE }

    /** The start of a line; a longer line is kept only up to here (long headers that do not frame the body). */
    private final byte[] line = new byte[256];
    private int lineLength;
    private boolean lineCut;
    private State state;
    private int status;
    private long remaining;
    private long contentLength;
    private boolean chunked;
    private boolean close;

    ResponseParser() {
        reset();
    }

    /** Ready for the next response on the connection (or on a new one). */
    void reset() {
        state = State.STATUS;
        lineLength = 0;
        lineCut = false;
        status = 0;
        startHeaders();
    }

    /**
     * Consumes bytes from the buffer's position up to the end of the response at most.
     *
     * @return whether the response is complete; the buffer's position is then just past it
     * @throws ProtocolException when the bytes are not an HTTP/1.1 response
     */
    boolean consume(ByteBuffer buffer) throws ProtocolException {
        int at = buffer.position();
        int limit = buffer.limit();
        while (at < limit && state != State.DONE) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int step = (int) Math.min(remaining, limit - at);
                    at += step;
                    remaining -= step;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.DONE : State.CHUNK_END;
                    }
                }
                case UNTIL_CLOSE -> at = limit;
                default -> {
                    byte b = buffer.get(at++);
                    if (b == '\n') {
                        if (lineLength > 0 && line[lineLength - 1] == '\r' && !lineCut) {
                            lineLength--;
                        }
                        endOfLine();
                        lineLength = 0;
                        lineCut = false;
                    } else if (lineLength < line.length) {
                        line[lineLength++] = b;
                    } else {
                        lineCut = true;
                    }
                }
            }
        }
        buffer.position(at);
        return state == State.DONE;
    }

    /**
     * The server closed the connection.
     *
     * @return whether that completed the response (one framed by the close); otherwise the response
     *     was cut short
     */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            state = State.DONE;
        }
        return state == State.DONE;
    }

    int status() {
        return status;
    }

    /** Whether the server closes the connection after this response. */
    boolean closeAfter() {
        return close;
    }

    private void startHeaders() {
        contentLength = -1;
        chunked = false;
        close = false;
        remaining = 0;
    }

    private void endOfLine() throws ProtocolException {
        switch (state) {
            case STATUS -> {
                if (lineLength < 12 || !startsWith("HTTP/1.1 ") || !digit(9) || !digit(10) || !digit(11)
                        || (lineLength > 12 && line[12] != ' ')) {
                    throw new ProtocolException("not an HTTP/1.1 status line: " + text(0, lineLength));
                }
                status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
                state = State.HEADER;
            }
            case HEADER -> {
                if (lineLength == 0) {
                    endOfHeaders();
                } else {
                    header();
                }
            }
            case CHUNK_SIZE -> {
                long size = hex();
                if (size == 0) {
                    state = State.TRAILER;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (lineLength != 0) {
                    throw new ProtocolException("chunk data longer than its size: " + text(0, lineLength));
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILER -> {
                if (lineLength == 0) {
                    state = State.DONE;
                }
            }
            default -> throw new IllegalStateException("no line expected in state " + state);
        }
    }

    private void endOfHeaders() {
        if (status >= 100 && status < 200 && status != 101) {
            state = State.STATUS; // interim response; the final one follows
            startHeaders();
        } else if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else if (contentLength == 0) {
            state = State.DONE;
        } else {
            close = true;
            state = State.UNTIL_CLOSE;
        }
    }

    private void header() throws ProtocolException {
        int colon = 0;
        while (colon < lineLength && line[colon] != ':') {
            colon++;
        }
        if (colon == lineLength) {
            throw new ProtocolException("a header line without a colon: " + text(0, lineLength));
        }
        int nameEnd = colon;
        while (nameEnd > 0 && whitespace(line[nameEnd - 1])) {
            nameEnd--;
        }
        int from = colon + 1;
        int to = lineLength;
        while (from < to && whitespace(line[from])) {
            from++;
        }
        while (to > from && whitespace(line[to - 1])) {
            to--;
        }
        if (nameIs(nameEnd, "content-length")) {
            framing();
            contentLength = decimal(from, to);
        } else if (nameIs(nameEnd, "transfer-encoding")) {
            framing();
            chunked = lastToken(from, to, "chunked");
        } else if (nameIs(nameEnd, "connection")) {
            framing();
            close = anyToken(from, to, "close");
        }
    }

    /** A header that frames the body must be read whole. */
    private void framing() throws ProtocolException {
        if (lineCut) {
            throw new ProtocolException("a framing header longer than " + line.length + " bytes: " + text(0, lineLength) + "…");
        }
    }

    private long decimal(int from, int to) throws ProtocolException {
        if (from == to || to - from > 18) {
            throw new ProtocolException("not a Content-Length: '" + text(from, to) + "'");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!digit(i)) {
                throw new ProtocolException("not a Content-Length: '" + text(from, to) + "'");
            }
            value = value * 10 + line[i] - '0';
        }
        return value;
    }

    /** A chunk-size line: hex digits, then optionally extensions after ';'. */
    private long hex() throws ProtocolException {
        long size = 0;
        int i = 0;
        for (; i < lineLength; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                break;
            }
            if (i == 15) {
                throw new ProtocolException("a chunk size of more than 15 hex digits");
            }
            size = size << 4 | d;
        }
        int end = i;
        while (i < lineLength && whitespace(line[i])) {
            i++;
        }
        if (end == 0 || (i < lineLength && line[i] != ';')) {
            throw new ProtocolException("not a chunk size: " + text(0, lineLength));
        }
        return size;
    }

    private boolean nameIs(int nameEnd, String lowerCase) {
        if (nameEnd != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            if (lower(line[i]) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last of the comma-separated tokens in [from, to) is {@code token} (ignoring case). */
    private boolean lastToken(int from, int to, String token) {
        int start = to;
        while (start > from && line[start - 1] != ',') {
            start--;
        }
        while (start < to && whitespace(line[start])) {
            start++;
        }
        return tokenIs(start, to, token);
    }

    private boolean anyToken(int from, int to, String token) {
        int start = from;
        while (start <= to) {
            int end = start;
            while (end < to && line[end] != ',') {
                end++;
            }
            int a = start, b = end;
            while (a < b && whitespace(line[a])) {
                a++;
            }
            while (b > a && whitespace(line[b - 1])) {
                b--;
            }
            if (tokenIs(a, b, token)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private boolean tokenIs(int from, int to, String token) {
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (lower(line[from + i]) != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean digit(int i) {
        return line[i] >= '0' && line[i] <= '9';
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private String text(int from, int to) {
        StringBuilder s = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            s.append((char) (line[i] & 0xff));
        }
        return s.toString();
    }
}
