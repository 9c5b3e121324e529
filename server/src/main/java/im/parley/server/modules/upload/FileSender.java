package im.parley.server.modules.upload;

import im.parley.server.http.HttpExchange;
import im.parley.server.module.PoolWork;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.concurrent.Executor;

/**
 * Sends a stored file as a response body: each piece is read on the blocking executor and the
 * next one only once the connection took the last, so a download holds one piece in memory
 * whatever the file's size and however slow the client.
 */
final class FileSender {

    static final int PIECE = 64 * 1024;

    private final SeekableByteChannel channel;
    private final HttpExchange exchange;
    private final Executor blocking;

    FileSender(SeekableByteChannel channel, HttpExchange exchange, Executor blocking) {
        this.channel = channel;
        this.exchange = exchange;
        this.blocking = blocking;
    }

    /** Reads and sends the next piece; at the end of the file, the end of the body. */
    void next() {
        PoolWork.supply(this::read, blocking).whenComplete((piece, failure) ->
                exchange.executor().execute(() -> {
                    if (failure != null) {
                        close(channel);
                        // Headers are out: cutting the connection is the only way to say it failed.
                        exchange.send(LastHttpContent.EMPTY_LAST_CONTENT).channel().close();
                    } else if (piece == null) {
                        close(channel);
                        exchange.send(LastHttpContent.EMPTY_LAST_CONTENT);
                    } else {
                        exchange.send(new DefaultHttpContent(piece)).addListener(written -> {
                            if (written.isSuccess()) {
                                next();
                            } else {
                                close(channel);  // read-only, as above: a close that waits on nothing
                            }
                        });
                    }
                }));
    }

    /** Blocking: the next piece, or null at the end. */
    private ByteBuf read() {
        ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(PIECE);
        try {
            int read = channel.read(piece.nioBuffer(0, PIECE));
            piece.writerIndex(Math.max(read, 0));
            if (read < 0) {
                piece.release();
                return null;
            }
            return piece;
        } catch (IOException e) {
            piece.release();
            throw new UncheckedIOException(e);
        }
    }

    static void close(SeekableByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing was lost
        }
    }
}
