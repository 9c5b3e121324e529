package im.parley.server.admin;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of the admin socket, on either side: a line out, a line in, bounded in size,
 * and closed when it outlives its deadline. A blocking channel cannot time out a read by itself,
 * so closing it from a timer is what ends a read that would otherwise wait forever.
 */
final class AdminConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean timedOut;

    AdminConnection(SocketChannel channel, Duration deadline) {
        this.channel = channel;
        CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!finished.get()) {
                timedOut = true;
                closeQuietly();
            }
        });
    }

    SocketChannel channel() {
        return channel;
    }

    /** True if the deadline closed the connection. */
    boolean timedOut() {
        return timedOut;
    }

    /** The bytes up to the first newline (without it). */
    byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                throw new EOFException("the connection closed before a whole line arrived");
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toByteArray();
                }
                line.write(b);
            }
            if (line.size() > AdminProtocol.MAX_LINE_BYTES) {
                throw new IOException("line longer than " + AdminProtocol.MAX_LINE_BYTES + " bytes");
            }
        }
    }

    void writeLine(byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(content.length + 1).put(content).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() {
        finished.set(true);
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }
}
