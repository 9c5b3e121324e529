package im.parley.sdk;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.TopLevelStreamElement;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * XMPP over BOSH (XEP-0206) for Smack, on the SDK's own {@link BoshSession}: it replaces Smack's
 * {@code XMPPBOSHConnection}, whose HTTP library ends the session at the first broken HTTP
 * connection and can block forever while closing. Here a broken connection costs a
 * retransmission (XEP-0124 §14.3), and nothing waits without a bound.
 *
 * <p>The session is "connected" from its creation response (XEP-0124 §7.2) until it ends; SASL,
 * the stream restart (XEP-0206 §5) and resource binding are Smack's, as over TCP.
 */
final class BoshConnection extends AbstractXMPPConnection {

    private static final SecureRandom RIDS = new SecureRandom();
    /** Initial rids leave room for 2^52 requests below the 2^53 limit of XEP-0124 §14.1. */
    private static final long RID_BOUND = 1L << 52;

    private final BoshConfiguration config;
    private final BoshSession.Timings timings;
    private volatile BoshSession session;

    BoshConnection(BoshConfiguration config, BoshSession.Timings timings) {
        super(config);
        this.config = config;
        this.timings = timings;
    }

    @Override
    protected void connectInternal() throws SmackException, XMPPException, InterruptedException {
        try {
            // Stanzas in BOSH bodies are parsed as in a jabber:client stream (XEP-0206 §3).
            onStreamOpen(PacketParserUtils.getParserFor(
                    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'/>"));
        } catch (Exception e) {
            throw new AssertionError("a constant stream header does not parse", e);
        }
        Duration connectTimeout = Duration.ofMillis(getReplyTimeout());
        Listener listener = new Listener();
        BoshSession created = new BoshSession(new JdkBoshHttp(config.url(), config.tls(), connectTimeout), timings,
                config.getXMPPServiceDomain().toString(), config.getXmlLang(), 1 + RIDS.nextLong(RID_BOUND),
                listener);
        listener.own = created;
        session = created;
        created.start();
        waitForConditionOrThrowConnectionException(created::established, "the BOSH session creation response");
        connected = true;
        if (hasCurrentConnectionException()) {
            // The session ended between its creation and now: nothing reported it as a connection error.
            throwCurrentConnectionException();
        }
    }

    @Override
    protected void loginInternal(String username, String password, Resourcepart resource)
            throws XMPPException, SmackException, IOException, InterruptedException {
        authenticate(username, password, config.getAuthzid(), null);
        bindResourceAndEstablishSession(resource);
        afterSuccessfulLogin(false);
    }

    /** XEP-0206 §5: instead of a new stream header, an empty body with {@code xmpp:restart}. */
    @Override
    protected void afterSaslAuthenticationSuccess() throws SmackException.NotConnectedException {
        BoshSession current = session;
        if (current == null || !current.restart()) {
            throw new SmackException.NotConnectedException();
        }
    }

    @Override
    public void sendNonza(Nonza element) throws SmackException.NotConnectedException {
        enqueue(element);
    }

    @Override
    protected void sendStanzaInternal(Stanza packet) throws SmackException.NotConnectedException {
        enqueue(packet);
        firePacketSendingListeners(packet);
    }

    private void enqueue(TopLevelStreamElement element) throws SmackException.NotConnectedException {
        BoshSession current = session;
        if (!connected || current == null || !current.send(element.toXML(BoshBodies.HTTPBIND).toString())) {
            throw new SmackException.NotConnectedException();
        }
    }

    @Override
    public boolean isSecureConnection() {
        return "https".equals(config.url().getScheme());
    }

    @Override
    public boolean isUsingCompression() {
        return false;
    }

    /**
     * Ends the session politely (XEP-0124 §13), carrying what {@link #disconnect()} queued (the
     * unavailable presence), waiting for the answer no longer than the reply timeout.
     */
    @Override
    protected void shutdown() {
        BoshSession current = session;
        if (current != null) {
            try {
                current.terminate().get(getReplyTimeout(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // The session is dropped below either way.
            }
        }
        instantShutdown();
    }

    /** Drops the session at once; never blocks, so it may be called from any thread at any time. */
    @Override
    public void instantShutdown() {
        BoshSession current = session;
        session = null;
        if (current != null) {
            current.abort();
        }
        setWasAuthenticated();
        authenticated = false;
        connected = false;
        streamId = null;
    }

    /** What one session receives: payloads to Smack, the session's end as a connection error. */
    private final class Listener implements BoshSession.Listener {
        /** The session heard; once the connection has moved on to another one or none, it is ignored. */
        volatile BoshSession own;

        @Override
        public void received(BoshResponse response) throws Exception {
            if (session != own) {
                return;
            }
            if (streamId == null) {
                // XEP-0206 §4: 'authid' is the stream id.
                streamId = response.attribute("authid");
            }
            XmlPullParser parser = response.parser();
            int depth = parser.getDepth();
            while (true) {
                XmlPullParser.Event event = parser.next();
                if (event == XmlPullParser.Event.END_DOCUMENT
                        || event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == depth) {
                    return;
                }
                if (event == XmlPullParser.Event.START_ELEMENT) {
                    payload(parser);
                }
            }
        }

        private void payload(XmlPullParser parser) throws Exception {
            String name = parser.getName();
            boolean streams = "http://etherx.jabber.org/streams".equals(parser.getNamespace());
            switch (name) {
                case Message.ELEMENT, IQ.IQ_ELEMENT, Presence.ELEMENT -> parseAndProcessStanza(parser);
                case "features" -> parseFeaturesAndNotify(parser);
                case "error" -> {
                    if (streams) {
                        // XEP-0206 §7: a stream error, the session ends with it.
                        throw new XMPPException.StreamErrorException(PacketParserUtils.parseStreamError(parser));
                    }
                    parseAndProcessNonza(parser);
                }
                default -> parseAndProcessNonza(parser);
            }
        }

        @Override
        public void ended(Exception cause) {
            if (cause == null || session != own) {
                return;
            }
            if (isConnected()) {
                notifyConnectionError(cause);
            } else {
                // Still connecting: connectInternal() is waiting and throws it.
                setCurrentConnectionExceptionAndNotify(cause);
            }
        }
    }
}
