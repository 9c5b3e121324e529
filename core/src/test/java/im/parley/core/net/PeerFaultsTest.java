package im.parley.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Issue 17 item 5: a client's fault is one log line; only our bugs earn a stack trace. */
class PeerFaultsTest {

    @Test
    void resetsAbortsAndGarbageComeFromThePeer() {
        assertThat(PeerFaults.isFromPeer(new SocketException("Connection reset by peer"))).isTrue();
        assertThat(PeerFaults.isFromPeer(new ClosedChannelException())).isTrue();
        assertThat(PeerFaults.isFromPeer(new IOException("Broken pipe"))).isTrue();
        assertThat(PeerFaults.isFromPeer(new PrematureChannelClosureException("closed while aggregating"))).isTrue();
        assertThat(PeerFaults.isFromPeer(new TooLongFrameException("too long"))).isTrue();
        assertThat(PeerFaults.isFromPeer(new CorruptedFrameException("reserved opcode"))).isTrue();
        assertThat(PeerFaults.isFromPeer(new DecoderException(new NotSslRecordException("not an SSL/TLS record"))))
                .isTrue();
        assertThat(PeerFaults.isFromPeer(new DecoderException(new SSLHandshakeException("no cipher suites"))))
                .isTrue();
    }

    @Test
    void ourBugsDoNot() {
        assertThat(PeerFaults.isFromPeer(new NullPointerException())).isFalse();
        assertThat(PeerFaults.isFromPeer(new IllegalStateException("bad state"))).isFalse();
        assertThat(PeerFaults.isFromPeer(new DecoderException(new NullPointerException()))).isFalse();
        assertThat(PeerFaults.isFromPeer(new EncoderException("cannot encode"))).isFalse();
    }

    @Test
    void describesOnOneLine() {
        assertThat(PeerFaults.describe(new SocketException("Connection reset\nby peer")))
                .isEqualTo("SocketException: Connection reset by peer");
        assertThat(PeerFaults.describe(new ClosedChannelException())).isEqualTo("ClosedChannelException");
    }
}
