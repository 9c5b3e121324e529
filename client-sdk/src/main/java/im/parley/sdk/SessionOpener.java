package im.parley.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jivesoftware.smack.AbstractXMPPConnection;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * The first connect/login sequence of a {@link ChatClient}: creates the Smack connection,
 * connects and secures it, registers the account or logs in (RFC 6120 §5-§7, XEP-0077 §3.1), and
 * turns every Smack failure into the SDK's {@link ChatException}s. On failure the connection is
 * disconnected, so the caller only has to report the exception.
 */
final class SessionOpener {

    private final EntityBareJid jid;
    private final String password;
    private final Resourcepart resource;
    private final Transport transport;
    private final Trust trust;
    private final Duration replyTimeout;
    /** Certificates the trust manager rejected; the reason a TLS handshake failed, if it did. */
    private final TrustFailures trustFailures = new TrustFailures();

    SessionOpener(EntityBareJid jid, String password, Resourcepart resource, Transport transport, Trust trust,
                  Duration replyTimeout) {
        this.jid = jid;
        this.password = password;
        this.resource = resource;
        this.transport = transport;
        this.trust = trust;
        this.replyTimeout = replyTimeout;
    }

    /**
     * A new, unconnected connection for the transport, with XEP-0198 stream management and
     * resumption requested on TCP (BOSH has its own acknowledgements, XEP-0124 §9).
     */
    AbstractXMPPConnection create() throws ChatException {
        AbstractXMPPConnection created;
        try {
            created = SmackConnections.create(jid, password, resource, transport, trust, trustFailures, replyTimeout);
        } catch (UnknownHostException e) {
            throw new ServerUnreachableException("unknown host " + transport.host(), e);
        }
        created.setReplyTimeout(replyTimeout.toMillis());
        if (created instanceof XMPPTCPConnection tcp) {
            tcp.setUseStreamManagement(true);
            tcp.setUseStreamManagementResumption(true);
        }
        return created;
    }

    /** Opens the stream and negotiates TLS (RFC 6120 §4-§5). */
    void connect(AbstractXMPPConnection connection) throws ChatException {
        trustFailures.takeLast(); // forget a rejection from an earlier attempt
        try {
            connection.connect();
        } catch (SmackException | IOException | XMPPException | InterruptedException e) {
            connection.disconnect();
            throw SmackErrors.connecting(e, transport, trustFailures);
        }
    }

    /** Authenticates and binds a resource (RFC 6120 §6-§7). */
    void authenticate(AbstractXMPPConnection connection) throws ChatException {
        try {
            connection.login();
        } catch (Exception e) {
            connection.disconnect();
            throw SmackErrors.authenticating(e, jid.toString());
        }
    }

    /**
     * Sends the initial presence of a new session and waits until the server has processed it,
     * that is until the server reflects it back: RFC 6121 §4.2.2, "the user's server MUST also
     * broadcast initial presence from the user's newly available resource to all of the user's
     * available resources, including the resource that generated the presence notification in
     * the first place". Until then the session is not available, and a message for the account
     * is stored offline (RFC 6121 §8.5.2.1.1, XEP-0160): returning earlier let the first message
     * sent to a user who had just logged in arrive late, from offline storage, with a delay stamp,
     * and on some servers after later ones (issue 18 item 4). A server that does not reflect it
     * gets the reply timeout, after which the session is used all the same.
     *
     * @throws SmackException.NotConnectedException the connection broke meanwhile
     */
    void announce(AbstractXMPPConnection connection, Presence initial)
            throws SmackException.NotConnectedException, InterruptedException {
        StanzaFilter reflection = new AndFilter(PresenceTypeFilter.AVAILABLE,
                FromMatchesFilter.createFull(connection.getUser()));
        StanzaCollector collector = connection.createStanzaCollectorAndSend(reflection, initial);
        try {
            collector.nextResult(replyTimeout.toMillis());
        } finally {
            collector.cancel();
        }
    }

    /** Creates the account by in-band registration (XEP-0077 §3.1) on a connected, not yet authenticated stream. */
    void register(AbstractXMPPConnection connection) throws ChatException {
        try {
            AccountManager accounts = AccountManager.getInstance(connection);
            // Smack only trusts TLS it negotiated itself; direct TLS and https BOSH are just as safe.
            accounts.sensitiveOperationOverInsecureConnection(transport.encryptedBelowXmpp() || isLoopback());
            if (!accounts.supportsAccountCreation()) {
                throw new RegistrationRefusedException("the server does not offer in-band registration",
                        "feature-not-implemented", null);
            }
            accounts.createAccount(Localpart.from(jid.getLocalpart().toString()), password);
        } catch (XMPPException.XMPPErrorException e) {
            connection.disconnect();
            String condition = SmackErrors.condition(e);
            throw new RegistrationRefusedException("the server refused to create " + jid + ": " + condition,
                    condition, e);
        } catch (RegistrationRefusedException e) {
            connection.disconnect();
            throw e;
        } catch (Exception e) {
            connection.disconnect();
            throw SmackErrors.request(e, "registering " + jid);
        }
    }

    private boolean isLoopback() {
        try {
            return InetAddress.getByName(transport.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
