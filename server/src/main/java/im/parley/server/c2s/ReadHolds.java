package im.parley.server.c2s;

/**
 * Holds on reading one client connection ({@link C2sSession#holdReading}): the first pauses it,
 * the end of the last resumes it. Holds taken on a connection the session has since left (XEP-0198
 * §5 resumption moved it) are forgotten: the new connection starts with none, and the old one's
 * releases touch it no more. Any thread (a transport's pause and resume are).
 */
final class ReadHolds {

    private C2sTransport transport;
    private int count;

    synchronized void take(C2sTransport held) {
        if (transport != held) {
            transport = held;
            count = 0;
        }
        if (count++ == 0) {
            held.pauseReading();
        }
    }

    synchronized void release(C2sTransport held) {
        if (transport == held && --count == 0) {
            held.resumeReading();
        }
    }
}
