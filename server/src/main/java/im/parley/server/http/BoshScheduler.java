package im.parley.server.http;

/** Runs a task once after a delay on the session's event loop; the answer cancels it. */
@FunctionalInterface
interface BoshScheduler {

    Runnable schedule(Runnable task, long delayMillis);
}
