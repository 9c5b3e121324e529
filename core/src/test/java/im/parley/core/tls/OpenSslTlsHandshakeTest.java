package im.parley.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link TlsHandshakeTest} again with the server on BoringSSL
 * ({@link TlsProvider#OPENSSL}) and the client on JSSE, so the two implementations are shown to
 * interoperate and to derive the same channel bindings (RFC 5929 §4.1).
 */
class OpenSslTlsHandshakeTest extends TlsHandshakeTest {

    @Override
    TlsProvider provider() {
        return TlsProvider.OPENSSL;
    }

    /** The build ships netty-tcnative's BoringSSL for this platform; CI must not fall back silently. */
    @Test
    void nativeLibraryLoadsAndAutoPicksIt() throws Exception {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsProvider.AUTO.netty()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsProvider.JDK.netty()).isEqualTo(SslProvider.JDK);

        SSLEngine engine = TlsContexts.server(SelfSignedCertificates.generate("example.org"), TlsProvider.OPENSSL)
                .newEngine(ByteBufAllocator.DEFAULT);
        try {
            assertThat(engine).isInstanceOf(ReferenceCountedOpenSslEngine.class);
        } finally {
            ((ReferenceCountedOpenSslEngine) engine).release();
        }
    }
}
