package im.parley.sdk;

import java.util.concurrent.ThreadFactory;

/** Threads of the SDK are daemons, so that a client the application forgot to close never keeps the JVM alive. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
