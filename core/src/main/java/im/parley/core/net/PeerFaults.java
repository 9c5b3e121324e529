package im.parley.core.net;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;

/**
 * Tells a connection's faults caused by the peer from our own bugs, so that a pipeline's
 * {@code exceptionCaught} logs the first as one line without a stack trace (a client that
 * resets, aborts a request or sends garbage is routine, and must not flood the log) and the
 * second as a warning with the stack trace.
 *
 * <p>From the peer: any {@link IOException} (reset, broken pipe, a closed channel, every TLS
 * failure since {@link javax.net.ssl.SSLException} is one), a connection that closed in the
 * middle of a message ({@link PrematureChannelClosureException}), and a decoder refusing the
 * input ({@link DecoderException} and its subclasses such as {@code TooLongFrameException} and
 * {@code CorruptedFrameException}). A {@code DecoderException} that wraps another exception is
 * judged by what it wraps: Netty wraps a decoder's own bug (a {@code NullPointerException}) the
 * same way it wraps a TLS failure.
 */
public final class PeerFaults {

    private PeerFaults() {
    }

    /** Whether {@code cause} comes from what the peer did (or failed to do), not from a bug of ours. */
    public static boolean isFromPeer(Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            return true;
        }
        if (cause instanceof DecoderException) {
            Throwable wrapped = cause.getCause();
            return wrapped == null || wrapped == cause || isFromPeer(wrapped);
        }
        return false;
    }

    /** The fault on one line: its type and message, without a stack trace. */
    public static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
    }
}
