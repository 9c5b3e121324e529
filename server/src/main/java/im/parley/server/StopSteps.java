package im.parley.server;

import im.parley.server.net.GracefulClose;
import im.parley.server.session.RouteTable;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.concurrent.ThreadProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waits of {@link ParleyServer#close}, each bounded by a deadline ({@link System#nanoTime}):
 * for the clients to close their side, for the event loops to stop, for storage work in flight
 * to finish. None interrupts what it waits for.
 */
final class StopSteps {

    // Under the server's name, as before they were split out: logging configurations name it.
    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);
    /** The longest a stop waits for the clients to read their stream error and close ({@link #awaitClientsClosed}). */
    static final Duration CLIENTS_CLOSE_WAIT = GracefulClose.LINGER.plusMillis(500);
    private static final Duration CLIENTS_CLOSE_POLL = Duration.ofMillis(20);

    private StopSteps() {
    }

    /**
     * Waits until every session closed before has ended, or {@code deadline}: a connection ends once
     * its client read the stream error and closed its side, or {@link GracefulClose#LINGER} after
     * the server's close. Stopping the event loops closes the connections still open at once, and
     * a connection closed while the client's last bytes (its own TLS close) are unread is reset:
     * the client's kernel then drops what it had not read yet, the stream error with it.
     */
    static void awaitClientsClosed(RouteTable sessions, long deadline) {
        while (!sessions.all().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(CLIENTS_CLOSE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops the event loops; one that has not stopped by {@code deadline} (a handler stuck on it)
     * is left behind, with its stack in the log. Its threads are daemons.
     */
    static void stopEventLoops(EventLoopGroup bossGroup, EventLoopGroup workerGroup, long deadline) {
        Future<?> workers = workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        Future<?> boss = bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (workers.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                && boss.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return;
        }
        for (EventLoopGroup group : List.of(bossGroup, workerGroup)) {
            for (EventExecutor loop : group) {
                if (!loop.isTerminated() && loop instanceof SingleThreadEventExecutor single) {
                    ThreadProperties thread = single.threadProperties();
                    Throwable where = new Throwable("where " + thread.name() + " is");
                    where.setStackTrace(thread.stackTrace());
                    LOG.warn("event loop thread {} did not stop in time (a handler is stuck on it); going on without it",
                            thread.name(), where);
                }
            }
        }
    }

    /**
     * Lets storage work already started finish (messages being stored, a last logout written)
     * before the database closes, until {@code deadline}. Never interrupts it: an interrupt during
     * a write closes H2's file channel and the store with it.
     */
    static void drainBlockingWork(ExecutorService blocking, long deadline) {
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("storage work still running at the shutdown deadline; closing the database anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
