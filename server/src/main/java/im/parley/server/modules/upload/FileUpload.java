package im.parley.server.modules.upload;

import im.parley.server.http.HttpExchange;
import im.parley.server.http.HttpRequestBody;
import im.parley.server.module.PoolWork;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of one PUT, streamed to a {@link FileStore.PendingFile}: pieces queue on the event
 * loop and are written in order on the blocking executor, one batch at a time; reading from the
 * client pauses while more than {@link #HIGH_WATER} bytes wait, so the file never sits in memory.
 * Complete, the file is committed (moved in place at once) and the slot marked stored: 201
 * Created (XEP-0363 §6). Cut off, the file is dropped and the slot used up (§6: "the client MAY
 * request a new slot").
 */
final class FileUpload implements HttpRequestBody {

    private static final Logger LOG = LoggerFactory.getLogger(FileUpload.class);
    static final int HIGH_WATER = 512 * 1024;

    private final String token;
    private final long length;
    private final HttpExchange exchange;
    private final Consumer<FullHttpResponse> decorate;
    private final Queue<ByteBuf> queued = new ArrayDeque<>();
    private long queuedBytes;
    private long received;
    private FileStore.PendingFile file;
    private Slots slots;
    private Executor blocking;
    private boolean writing;
    private boolean ended;
    private boolean finished;

    FileUpload(String token, long length, HttpExchange exchange, Consumer<FullHttpResponse> decorate) {
        this.token = token;
        this.length = length;
        this.exchange = exchange;
        this.decorate = decorate;
    }

    /** The slot is ours and the file open: what came meanwhile is written, and reading goes on. */
    void start(FileStore.PendingFile pendingFile, Slots store, Executor executor) {
        this.file = pendingFile;
        this.slots = store;
        this.blocking = executor;
        if (finished) {
            // Cut off while the slot was being claimed.
            abandon();
            return;
        }
        exchange.proceed();
        exchange.resumeReading();
        writeQueued();
    }

    /** The PUT is refused before any of it was written. */
    void refuse(FullHttpResponse response) {
        finished = true;
        releaseQueued();
        respond(response);
    }

    @Override
    public void content(ByteBuf piece) {
        if (finished) {
            return;
        }
        received += piece.readableBytes();
        queued.add(piece.retain());
        queuedBytes += piece.readableBytes();
        if (queuedBytes > HIGH_WATER) {
            exchange.pauseReading();
        }
        writeQueued();
    }

    @Override
    public void end() {
        ended = true;
        writeQueued();
    }

    @Override
    public void aborted() {
        if (!finished) {
            finished = true;
            releaseQueued();
            if (file != null && !writing) {
                abandon();
            }
        }
    }

    /** On the event loop: hands what is queued to the blocking executor, unless a batch is being written. */
    private void writeQueued() {
        if (file == null || writing || finished) {
            return;
        }
        if (queued.isEmpty()) {
            if (ended) {
                complete();
            }
            return;
        }
        ByteBuf[] batch = queued.toArray(ByteBuf[]::new);
        queued.clear();
        queuedBytes = 0;
        writing = true;
        exchange.resumeReading();
        PoolWork.run(() -> {
            try {
                for (ByteBuf piece : batch) {
                    file.write(piece.nioBuffer());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                for (ByteBuf piece : batch) {
                    piece.release();
                }
            }
        }, blocking).whenComplete((ignored, failure) -> exchange.executor().execute(() -> {
            writing = false;
            if (PoolWork.refused(failure)) {
                // Never run, so its finally did not release the batch. RFC 9110 §15.6.4: a
                // temporary overload is 503; the client may upload again.
                for (ByteBuf piece : batch) {
                    piece.release();
                }
                LOG.warn("upload {}: cannot write the file now: the blocking pool refused", token);
                fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is busy; try again\n");
            } else if (failure != null) {
                LOG.warn("upload {}: cannot write the file", token, failure);
                fail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server error\n");
            } else if (finished) {
                abandon();
            } else {
                writeQueued();
            }
        }));
    }

    /** The whole body is written: commit the file, then mark the slot stored. */
    private void complete() {
        finished = true;
        if (received != length) {
            // The codec frames the body by Content-Length; a short one is a cut-off connection.
            abandon();
            return;
        }
        writing = true;
        PoolWork.supply(() -> {
            try {
                file.commit();
            } catch (IOException e) {
                file.discard();
                slots.remove(token);
                throw new UncheckedIOException(e);
            }
            return slots.move(token, Slots.State.UPLOADING, Slots.State.STORED);
        }, blocking).whenComplete((stored, failure) -> exchange.executor().execute(() -> {
            if (failure != null) {
                LOG.warn("upload {}: cannot store the file", token, failure);
                respond(UploadHttp.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server error\n"));
            } else if (!stored) {
                // The account went meanwhile, and its slots with it: the purge deletes the file.
                respond(UploadHttp.text(HttpResponseStatus.GONE, "the slot is gone\n"));
            } else {
                respond(UploadHttp.text(HttpResponseStatus.CREATED, "created\n"));
            }
        }));
    }

    private void fail(HttpResponseStatus status, String text) {
        finished = true;
        releaseQueued();
        abandon();
        respond(UploadHttp.text(status, text));
    }

    /** Drops the partial file and uses the slot up, off the event loop. */
    private void abandon() {
        FileStore.PendingFile partial = file;
        file = null;
        if (partial != null) {
            PoolWork.run(() -> {
                partial.discard();
                slots.remove(token);
            }, blocking).exceptionally(failure -> {
                // The pool is full or stopping; the answer still goes out. The partial file goes
                // at the next start (FileStore.dropUnfinished), the slot when it expires.
                LOG.warn("upload {}: cannot drop the partial file now", token, failure);
                return null;
            });
        }
    }

    private void respond(FullHttpResponse response) {
        decorate.accept(response);
        exchange.respond(response);
    }

    private void releaseQueued() {
        ByteBuf piece;
        while ((piece = queued.poll()) != null) {
            piece.release();
        }
        queuedBytes = 0;
    }
}
