package im.parley.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection to an HTTP listener on loopback, written as a hostile client would: any
 * bytes, at any pace, from any 127.0.0.0/8 address. Reads wait on the server (a response, or
 * the connection's end) up to a bound, never on a fixed sleep.
 */
final class RawHttpConnection implements AutoCloseable {

    /** A response: status code, headers (names in lower case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    /** A WebSocket frame from the server (RFC 6455 §5.2): its opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        static final int TEXT = 0x1;
        static final int CLOSE = 0x8;
        static final int PING = 0x9;
        static final int PONG = 0xA;

        /** The status code of a close frame (§5.5.1). */
        int closeStatus() {
            return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawHttpConnection open(int port) throws IOException {
        return open("127.0.0.1", port);
    }

    /** A connection from {@code localAddress} (any of 127.0.0.0/8: a distinct client address). */
    static RawHttpConnection open(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return new RawHttpConnection(socket);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Sends {@code text} one byte per {@code interval} on another thread until it is all sent or
     * the server closes the connection; the future ends with the number of bytes sent.
     */
    CompletableFuture<Integer> drip(String text, Duration interval) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            int sent = 0;
            try {
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    sent++;
                    Thread.sleep(interval.toMillis()); // the attacker's pace, not a wait for the server
                }
            } catch (IOException e) {
                // The server closed the connection: that is what the tests expect.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sent;
        });
    }

    /** Reads one response (status line, headers, a {@code Content-Length} body), waiting at most {@code timeout}. */
    Response readResponse(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("the server closed the connection without a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits up to {@code timeout} for the server to close the connection, discarding what it
     * sends; true if it closed (end of stream or reset), false if it was still open.
     */
    boolean awaitClosed(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends the WebSocket handshake for XMPP (RFC 7395 §3.1) and reads the server's answer. */
    Response upgradeToWebSocket() throws IOException {
        send("GET /xmpp-websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: xmpp\r\n\r\n");
        return readResponse(Duration.ofSeconds(10));
    }

    /** The header of a masked client frame (RFC 6455 §5.2) of {@code length} payload bytes, mask included. */
    static byte[] frameHeader(int opcode, boolean fin, int length) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            header.write(0x80 | length);
        } else {
            header.write(0x80 | 126);
            header.write(length >> 8);
            header.write(length & 0xff);
        }
        header.writeBytes(new byte[] {0, 0, 0, 0}); // a zero mask: the payload goes as it is
        return header.toByteArray();
    }

    /** Sends one whole masked frame. */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(frameHeader(opcode, true, payload.length));
        frame.writeBytes(payload);
        send(frame.toByteArray());
    }

    /** Reads the server's next frame (unmasked, RFC 6455 §5.1), waiting at most {@code timeout}. */
    Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        int first = in.read();
        if (first < 0) {
            throw new IOException("the server closed the connection");
        }
        int length = in.read() & 0x7f;
        if (length == 126) {
            length = in.read() << 8 | in.read();
        } else if (length == 127) {
            throw new IOException("frame too long for this test client");
        }
        return new Frame(first & 0x0f, in.readNBytes(length));
    }

    /** Closes at once with a TCP reset, as a client that vanishes mid-request. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
