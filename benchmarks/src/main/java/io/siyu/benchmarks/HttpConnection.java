package io.siyu.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, for a load client that must not be
 * the bottleneck: it writes pre-serialised requests and reads only the status line, the framing
 * headers and the body's length. Reconnects when the server closes (Tomcat does after 100
 * requests per connection by default), which is what real clients do too.
 */
final class HttpConnection implements Closeable {

    private final InetSocketAddress address;
    private final byte[] buffer = new byte[16 * 1024];
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private int pos;
    private int limit;
    private long reconnects;
    private @Nullable ByteArrayOutputStream body;

    HttpConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** Sends one request and reads its response; returns the status code. */
    int exchange(byte[] request) throws IOException {
        return exchange(request, null);
    }

    /**
     * Sends one request and reads its response into {@code body} (when given: the body's bytes,
     * de-chunked, appended), for a client that checks what it was answered; returns the status code.
     */
    int exchange(byte[] request, @Nullable ByteArrayOutputStream body) throws IOException {
        this.body = body;
        if (socket == null) {
            open();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    long reconnects() {
        return reconnects;
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        pos = 0;
        limit = 0;
        reconnects++;
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closing = value.equalsIgnoreCase("close");
            }
        }
        if (chunked) {
            while (true) {
                String size = readLine();
                int semicolon = size.indexOf(';');
                long n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (n == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                skip(n);
                readLine();
            }
        } else if (length >= 0) {
            skip(length);
        } else {
            closing = true; // body ends with the connection
        }
        if (closing) {
            close();
        }
        return code;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (pos == limit) {
                fill();
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xff));
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int step = (int) Math.min(n, limit - pos);
            if (body != null) {
                body.write(buffer, pos, step);
            }
            pos += step;
            n -= step;
        }
    }

    private void fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        if (read < 0) {
            throw new EOFException("the server closed the connection mid-response");
        }
        pos = 0;
        limit = read;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are abandoning; nothing to recover
            }
            socket = null;
        }
    }
}
