package im.parley.sdk.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a free loopback port in front of a server, so a test can break a client's
 * connection ({@link #cutAll()}), keep it from coming back ({@link #refuse(boolean)}), let it
 * hang ({@link #stall(boolean)}), lose a response ({@link #loseNextResponse()}) or answer in the
 * server's place ({@link #answerWith(String)}) the way a flaky network or a front end whose
 * server is gone would, whatever the server.
 */
public final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> stalled = new CopyOnWriteArrayList<>();
    private final AtomicBoolean loseNext = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean stalling;
    private volatile boolean frozen;
    private volatile String answer;

    public LoopbackProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * While refusing, new connections are accepted and closed at once, as a load balancer or
     * proxy does in front of a server that is down: the client's TCP connect succeeds, then the
     * stream ends.
     */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** How many connections were accepted and closed at once, while refusing or for a server that did not answer. */
    public int refusedConnections() {
        return refused.get();
    }

    /** While stalling, new connections are accepted and then neither relayed nor closed. */
    public void stall(boolean stall) {
        this.stalling = stall;
    }

    /** While frozen, relayed connections stay open but carry nothing: the server seems to hang. */
    public void freeze(boolean freeze) {
        this.frozen = freeze;
    }

    /** Connections accepted while stalling and still open: a client is waiting on one. */
    public int stalledConnections() {
        return (int) stalled.stream().filter(socket -> !socket.isClosed()).count();
    }

    /**
     * The next bytes the server sends, on any connection, are dropped and that connection is
     * cut both ways: the server has answered, the client never hears it.
     */
    public void loseNextResponse() {
        loseNext.set(true);
    }

    /** Whether the response {@link #loseNextResponse()} asked for has been lost. */
    public boolean responseLost() {
        return !loseNext.get();
    }

    /**
     * While set, new connections are not relayed: the proxy reads the request and answers with
     * these bytes (a whole HTTP response), then closes. Null relays again.
     */
    public void answerWith(String response) {
        this.answer = response;
    }

    /** Breaks every relayed connection, both sides. */
    public void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        cutAll();
        stalled.forEach(LoopbackProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    refused.incrementAndGet();
                    client.close();
                    continue;
                }
                if (stalling) {
                    stalled.add(client);
                    continue;
                }
                String canned = answer;
                if (canned != null) {
                    answer(client, canned);
                    continue;
                }
                Socket server = connectToServer(client);
                if (server == null) {
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                // The listener was closed.
            }
        }
    }

    /** The connection to the server, or null, the client's connection closed, if the server is down. */
    private Socket connectToServer(Socket client) {
        try {
            return new Socket(targetHost, targetPort);
        } catch (IOException e) {
            refused.incrementAndGet();
            closeQuietly(client);
            return null;
        }
    }

    private void answer(Socket client, String response) {
        Thread thread = new Thread(() -> {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                in.read(new byte[16 * 1024]);
                out.write(response.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // The client went away first.
            }
        }, "proxy-answer");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (fromServer && loseNext.compareAndSet(true, false)) {
                        return;
                    }
                    if (frozen) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side closed: close the other below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }
}
