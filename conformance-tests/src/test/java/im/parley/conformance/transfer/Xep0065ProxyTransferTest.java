package im.parley.conformance.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.XmppClient;
import im.parley.server.modules.proxy65.Proxy65Module;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.bytestreams.BytestreamSession;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamManager;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5BytestreamSession;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5Proxy;
import org.jivesoftware.smackx.bytestreams.socks5.packet.Bytestream;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A file transfer through Parley's SOCKS5 Bytestreams proxy (XEP-0065 §6, mediated connection):
 * Smack finds the proxy through its server's service discovery, both clients connect to it on
 * 127.0.0.1 and the bytes arrive identical; activation errors with a raw SOCKS5 client.
 */
class Xep0065ProxyTransferTest {

    private static final String PROXY = "proxy." + ParleyServerExtension.DOMAIN;
    private static final int FILE_SIZE = 4 * 1024 * 1024 + 17;

    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.configured(config -> config
            .with(Proxy65Module.ENABLED, true)
            .with(Proxy65Module.LISTEN_ADDRESS, "127.0.0.1")
            .with(Proxy65Module.PORT, 0));

    private static boolean localProxyWas;

    /** Smack would offer its own local streamhost first: off, so that only the proxy can carry the stream. */
    @BeforeAll
    static void noDirectConnections() {
        localProxyWas = Socks5Proxy.isLocalSocks5ProxyEnabled();
        Socks5Proxy.setLocalSocks5ProxyEnabled(false);
    }

    @AfterAll
    static void restore() {
        Socks5Proxy.setLocalSocks5ProxyEnabled(localProxyWas);
    }

    @Test
    @DisplayName("XEP-0065 §4, §6: Smack sends a few MB through the proxy and they arrive byte-identical")
    void aFileCrossesTheProxyIdentical() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        XmppClient juliet = parley.loggedIn("juliet");
        Socks5BytestreamManager sender = Socks5BytestreamManager.getBytestreamManager(romeo.connection());
        Socks5BytestreamManager receiver = Socks5BytestreamManager.getBytestreamManager(juliet.connection());
        sender.setAnnounceLocalStreamHost(false);
        receiver.setAnnounceLocalStreamHost(false);
        byte[] file = new byte[FILE_SIZE];
        new Random(65).nextBytes(file);

        CompletableFuture<byte[]> received = new CompletableFuture<>();
        receiver.addIncomingBytestreamListener(request -> {
            try {
                BytestreamSession session = request.accept();
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                try (InputStream in = session.getInputStream()) {
                    in.transferTo(content);
                }
                session.close();
                received.complete(content.toByteArray());
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });

        Socks5BytestreamSession session = sender.establishSession(juliet.jid());
        // §4: the proxy was found among the server's items; Smack used it, not a direct connection.
        assertThat(session.isMediated()).isTrue();
        try (OutputStream out = session.getOutputStream()) {
            out.write(file);
        }
        session.close();

        byte[] arrived = await("the file arrives").atMost(Duration.ofSeconds(60)).until(() -> received.getNow(null),
                bytes -> bytes != null && bytes.length >= FILE_SIZE);
        assertThat(arrived).isEqualTo(file);
    }

    @Test
    @DisplayName("XEP-0065 §6.3.5: activation with one party connected is not-allowed; with none, item-not-found")
    void activationNeedsBothParties() throws Exception {
        XmppClient romeo = parley.loggedIn("romeo");
        Jid target = JidCreate.from(parley.newAccount("juliet") + "/balcony");
        Bytestream streamhost = (Bytestream) romeo.requests(streamhostQuery());
        Bytestream.StreamHost proxy = streamhost.getStreamHosts().get(0);
        assertThat(proxy.getJID().toString()).isEqualTo(PROXY);
        assertThat(proxy.getAddress().toString()).isEqualTo("127.0.0.1");

        // §6.3.5: "item-not-found if the 'from' address does not match that of the Requester's full JID".
        assertThat(romeo.requestFails(activation("sid-1", target))).isEqualTo(StanzaError.Condition.item_not_found);

        try (Socket targetSide = socks5Connect(proxy, hash("sid-1", romeo.jid(), target))) {
            // "not-allowed if only one party (either Requester or Recipient, but not both) is connected".
            assertThat(romeo.requestFails(activation("sid-1", target))).isEqualTo(StanzaError.Condition.not_allowed);
        }
    }

    private static IQ streamhostQuery() throws Exception {
        Bytestream query = new Bytestream();
        query.setType(IQ.Type.get);
        query.setTo(JidCreate.from(PROXY));
        return query;
    }

    private static IQ activation(String sid, Jid target) throws Exception {
        Bytestream activate = new Bytestream(sid);
        activate.setMode(null);
        activate.setType(IQ.Type.set);
        activate.setTo(JidCreate.from(PROXY));
        activate.setToActivate(target);
        return activate;
    }

    /** RFC 1928 by hand: no authentication, then CONNECT to the hash as a DOMAINNAME, port 0. */
    private static Socket socks5Connect(Bytestream.StreamHost proxy, String hash) throws Exception {
        Socket socket = new Socket(proxy.getAddress().toString(), proxy.getPort());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        out.write(new byte[] {5, 1, 0});
        byte[] method = new byte[2];
        in.readFully(method);
        assertThat(method).containsExactly(5, 0);
        out.write(new byte[] {5, 1, 0, 3, 40});
        out.write(hash.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0, 0});
        byte[] reply = new byte[5 + 40 + 2];
        in.readFully(reply);
        assertThat(reply[1]).as("REP succeeded").isZero();
        return socket;
    }

    private static String hash(String sid, Jid requester, Jid target) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest((sid + requester + target).getBytes(StandardCharsets.UTF_8)));
    }

}
