package im.parley.core.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation terminates client connections.
 *
 * <ul>
 *   <li>{@link #OPENSSL}: BoringSSL through netty-tcnative (shipped for Linux, macOS and Windows
 *       on x86-64 and Linux/macOS on ARM64). Its handshakes cost a fraction of JSSE's pure-Java
 *       elliptic-curve code, and a connection's TLS state lives in a few kilobytes of native
 *       memory with its record buffers released while idle. It has no RFC 5705 exporter, so the
 *       {@code tls-exporter} channel binding is not offered; {@code tls-server-end-point} is.
 *   <li>{@link #JDK}: the JDK's own JSSE; on Java 25+ it also gives {@code tls-exporter}
 *       (see {@link TlsChannelBindings}).
 *   <li>{@link #AUTO}: OpenSSL when its native library loads on this machine, else JDK.
 * </ul>
 */
public enum TlsProvider {
    AUTO, OPENSSL, JDK;

    /**
     * The Netty provider to build contexts with.
     *
     * @throws IllegalStateException for {@link #OPENSSL} when the native library cannot be loaded
     */
    public SslProvider netty() {
        switch (this) {
            case JDK:
                return SslProvider.JDK;
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls provider openssl: netty-tcnative could not be loaded: "
                            + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            default:
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
    }
}
