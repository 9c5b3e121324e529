package im.parley.server.module;

import java.time.Duration;

/**
 * What a module may ask of the server process as a whole: to stop it, as an administrator's
 * command does (XEP-0133 §4.31, Shut Down Service). The process that runs the server decides
 * what stopping means ({@code parley run}: the JVM exits as on SIGTERM, with the same shutdown
 * in good order); a server embedded elsewhere, or a test's, may offer nothing ({@link #NONE}).
 */
public interface ServerControl {

    /** A server that cannot be stopped from inside: the commands that would stop it are not offered. */
    ServerControl NONE = new ServerControl() {
        @Override
        public boolean canStop() {
            return false;
        }

        @Override
        public void stopAfter(Duration delay) {
            throw new UnsupportedOperationException("this server cannot be stopped from inside");
        }
    };

    /** Whether {@link #stopAfter} stops anything. */
    boolean canStop();

    /**
     * Stops the server once {@code delay} has passed, as SIGTERM does (sessions closed with
     * {@code system-shutdown}, RFC 6120 §4.9.3.20; what they held stored; storage closed). Returns
     * at once; never blocks the caller for the delay or the shutdown.
     */
    void stopAfter(Duration delay);
}
