package im.parley.conformance.raw;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.PinnedTrust;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.lang.reflect.Method;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;

/**
 * An XMPP client on a plain {@link Socket} that writes XML strings and reads what the server
 * writes as dom4j elements. It does what a well-behaved client would not (malformed XML,
 * forged addresses, oversized stanzas) and the SASL mechanisms Smack lacks, so every
 * requirement of RFC 6120 can be provoked and observed on the wire.
 */
public final class RawXmppClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    public static final String STREAM_ERRORS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZA_ERRORS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Set<String> STANZA_NAMES = Set.of("message", "presence", "iq");

    private final X509Certificate trusted;
    private Socket socket;
    private OutputStream out;
    private final XmppStreamReader reader;
    /** The last few elements read, shown when a read fails (what the server said before it closed). */
    private final ArrayDeque<Element> recent = new ArrayDeque<>();
    /** The full JID {@link #login} bound, for failures' messages. */
    private volatile String loggedInAs;

    /** The domain this client opens streams to and expects in the server's certificate. */
    private String domain = ParleyServerExtension.DOMAIN;

    private RawXmppClient(Socket socket, X509Certificate trusted) throws IOException {
        this.socket = socket;
        this.trusted = trusted;
        this.out = socket.getOutputStream();
        this.reader = new XmppStreamReader(socket);
    }

    /** A TCP connection to the STARTTLS port; trusts only {@code trusted} once TLS starts. */
    public static RawXmppClient connect(String host, int port, X509Certificate trusted) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), (int) WAIT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawXmppClient(socket, trusted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A direct TLS connection (XEP-0368): TLS first, with SNI for {@code domain}. */
    public static RawXmppClient connectDirectTls(String host, int port, X509Certificate trusted, String domain) {
        try {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(host, port), (int) WAIT.toMillis());
            SSLSocket tls = handshake(PinnedTrust.sslContext(trusted), plain, domain);
            return new RawXmppClient(tls, trusted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- writing -------------------------------------------------------------------------

    public void send(String xml) {
        sendBytes(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes as they are, for input that is not valid UTF-8. */
    public void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the server closed the connection before we could write", e);
        }
    }

    /** Opens streams to {@code serverDomain} from now on (a virtual host), instead of {@value ParleyServerExtension#DOMAIN}. */
    public RawXmppClient toDomain(String serverDomain) {
        this.domain = serverDomain;
        return this;
    }

    /** Opens a client stream to the domain (RFC 6120 §4.7) and returns the server's header. */
    public Map<String, String> openStream() {
        return openStream(header(domain));
    }

    /** Sends {@code headerXml} verbatim and returns the server's stream header attributes. */
    public Map<String, String> openStream(String headerXml) {
        send(headerXml);
        XmppStreamReader.Event event = nextEvent();
        if (event instanceof XmppStreamReader.Header header) {
            return header.attributes();
        }
        throw new AssertionError("expected the server's stream header, got " + event);
    }

    /** A well-formed initial stream header for {@code domain}. */
    public static String header(String domain) {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xml:lang='en'"
                + " xmlns='jabber:client' xmlns:stream='" + STREAMS_NS + "'>";
    }

    // ---- reading -------------------------------------------------------------------------

    /** The next top-level element; fails if the stream ends or nothing comes in time. */
    public Element nextElement() {
        XmppStreamReader.Event event = nextEvent();
        if (event instanceof XmppStreamReader.Stanza stanza) {
            return stanza.element();
        }
        throw new AssertionError("expected an element, got " + event + recentText());
    }

    /** The next element that matches, skipping others (e.g. presence while waiting for an IQ result). */
    public Element nextElement(Predicate<Element> matching) {
        while (true) {
            Element element = nextElement();
            if (matching.test(element)) {
                return element;
            }
        }
    }

    /** The next element if one arrives within {@code timeout}. */
    public Optional<Element> elementWithin(Duration timeout) {
        try {
            XmppStreamReader.Event event = remember(reader.next(timeout));
            if (event == null) {
                return Optional.empty();
            }
            if (event instanceof XmppStreamReader.Stanza stanza) {
                return Optional.of(stanza.element());
            }
            throw new AssertionError("expected an element or nothing, got " + event + recentText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stream features (RFC 6120 §4.3.2) that follow a stream header. */
    public Element features() {
        Element features = nextElement();
        if (!"features".equals(features.getName()) || !STREAMS_NS.equals(features.getNamespaceURI())) {
            throw new AssertionError("expected <stream:features/>, got " + features.asXML());
        }
        return features;
    }

    /**
     * Reads until a stream error arrives and returns its condition (RFC 6120 §4.9.3), then
     * checks that the server closes the stream and the connection (§4.9.1.1).
     */
    public String streamErrorCondition() {
        return streamErrorCondition(false);
    }

    /**
     * As {@link #streamErrorCondition()}, for a client that is online: the stanzas that arrive
     * before the stream error (presence of its contacts, say) are read and passed over.
     */
    public String streamErrorConditionAfterStanzas() {
        return streamErrorCondition(true);
    }

    private String streamErrorCondition(boolean skipStanzas) {
        XmppStreamReader.Event event = nextEvent();
        // §4.9.1.1: a server that errs before its header opens the stream first.
        while (event instanceof XmppStreamReader.Header || skipStanzas && isStanza(event)) {
            event = nextEvent();
        }
        if (!(event instanceof XmppStreamReader.Stanza stanza) || !"error".equals(stanza.element().getName())
                || !STREAMS_NS.equals(stanza.element().getNamespaceURI())) {
            throw new AssertionError("expected <stream:error/>, got " + event);
        }
        List<Element> conditions = stanza.element().elements().stream()
                .filter(e -> STREAM_ERRORS_NS.equals(e.getNamespaceURI()) && !"text".equals(e.getName()))
                .toList();
        if (conditions.size() != 1) {
            throw new AssertionError("a stream error has exactly one condition: " + stanza.xml());
        }
        assertClosed();
        return conditions.get(0).getName();
    }

    private static boolean isStanza(XmppStreamReader.Event event) {
        return event instanceof XmppStreamReader.Stanza stanza && STANZA_NAMES.contains(stanza.element().getName())
                && !STREAMS_NS.equals(stanza.element().getNamespaceURI());
    }

    /** The server ends the stream ({@code </stream:stream>}) and closes the TCP connection. */
    public void assertClosed() {
        while (true) {
            XmppStreamReader.Event event = nextEvent();
            if (event instanceof XmppStreamReader.End end && !end.closedByPeer()) {
                return;
            }
            if (event instanceof XmppStreamReader.Stanza stanza) {
                throw new AssertionError("expected the stream to close, got " + stanza.xml());
            }
        }
    }

    /**
     * Reads until the server's {@code </stream:stream>}, passing over stanzas; fails if the
     * connection ends first.
     */
    public void expectClosingTag() {
        while (true) {
            XmppStreamReader.Event event = nextEvent();
            if (event instanceof XmppStreamReader.End end) {
                if (!end.closedByPeer()) {
                    throw new AssertionError("the connection ended without the server's closing tag" + recentText());
                }
                return;
            }
        }
    }

    /**
     * True if nothing arrives within {@code quiet}, not even the end of the connection (or a TLS
     * {@code close_notify}); false if the connection ends. Fails if data arrives.
     */
    public boolean staysOpenFor(Duration quiet) {
        try {
            XmppStreamReader.Event event = reader.next(quiet);
            if (event == null) {
                return true;
            }
            if (event instanceof XmppStreamReader.End end && !end.closedByPeer()) {
                return false;
            }
            throw new AssertionError("expected nothing more, got " + event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private XmppStreamReader.Event nextEvent() {
        try {
            XmppStreamReader.Event event = remember(reader.next(WAIT));
            if (event == null) {
                throw new AssertionError("the server sent nothing within " + WAIT + recentText());
            }
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private XmppStreamReader.Event remember(XmppStreamReader.Event event) {
        if (event instanceof XmppStreamReader.Stanza stanza) {
            synchronized (recent) {
                if (recent.size() == 5) {
                    recent.removeFirst();
                }
                recent.addLast(stanza.element());
            }
        }
        return event;
    }

    /** The last elements read, for a failure's message. */
    private String recentText() {
        synchronized (recent) {
            StringBuilder text = new StringBuilder(loggedInAs == null ? "" : " (client " + loggedInAs + ")");
            if (!recent.isEmpty()) {
                text.append("; the last elements read:");
                for (Element element : recent) {
                    String xml = element.asXML();
                    text.append(' ').append(xml.length() > 400 ? xml.substring(0, 400) + "..." : xml);
                }
            }
            return text.toString();
        }
    }

    // ---- TLS -----------------------------------------------------------------------------

    /** STARTTLS (RFC 6120 §5.4) with a JDK TLS context, then a new stream; returns its features. */
    public Element startTls() {
        return startTls(PinnedTrust.sslContext(trusted));
    }

    /** STARTTLS with the given context (e.g. BCJSSE for tls-exporter), then a new stream. */
    public Element startTls(SSLContext context) {
        return startTls(context, "<starttls xmlns='" + TLS_NS + "'/>");
    }

    /** STARTTLS sending {@code command} verbatim (e.g. with trailing whitespace), then a new stream. */
    public Element startTls(SSLContext context, String command) {
        send(command);
        Element proceed = nextElement();
        if (!"proceed".equals(proceed.getName())) {
            throw new AssertionError("expected <proceed/>, got " + proceed.asXML());
        }
        try {
            SSLSocket tls = handshake(context, socket, domain);
            reader.switchTo(tls);
            socket = tls;
            out = tls.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openStream();
        return features();
    }

    private static SSLSocket handshake(SSLContext context, Socket plain, String domain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, domain, plain.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(domain)));
        // RFC 6125 / RFC 6120 §13.7.2: the certificate must name the domain we asked for.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) WAIT.toMillis());
        tls.startHandshake();
        return tls;
    }

    public SSLSession tlsSession() {
        if (!(socket instanceof SSLSocket tls)) {
            throw new IllegalStateException("TLS is not active");
        }
        return tls.getSession();
    }

    /**
     * {@code tls-exporter} (RFC 9266 §2): 32 bytes exported with label EXPORTER-Channel-Binding
     * and an empty context, through {@code ExtendedSSLSession.exportKeyingMaterialData}, which
     * JSSE has from Java 25 on. Empty on older runtimes (BCJSSE would not help: it erases the
     * exporter secret after the handshake).
     */
    public Optional<ScramClient.ChannelBinding> tlsExporter() {
        Optional<Method> exporter = jsseExporter();
        if (exporter.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] data = (byte[]) exporter.get().invoke(tlsSession(), "EXPORTER-Channel-Binding", new byte[0], 32);
            return Optional.of(new ScramClient.ChannelBinding("tls-exporter", data));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("tls-exporter export failed", e);
        }
    }

    /** The RFC 5705 exporter of JSSE (Java 25+), if this runtime has it. */
    public static Optional<Method> jsseExporter() {
        try {
            return Optional.of(ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class,
                    byte[].class, int.class));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code tls-server-end-point} (RFC 5929 §4.1): the hash of the server certificate with the
     * hash of its signature algorithm, SHA-256 in place of MD5 and SHA-1.
     */
    public ScramClient.ChannelBinding tlsServerEndPoint() {
        try {
            Certificate[] chain = tlsSession().getPeerCertificates();
            X509Certificate certificate = (X509Certificate) chain[0];
            String algorithm = certificate.getSigAlgName().toUpperCase();
            String digest = algorithm.substring(0, algorithm.indexOf("WITH"));
            digest = switch (digest) {
                case "MD5", "SHA1" -> "SHA-256";
                default -> digest.startsWith("SHA") && !digest.startsWith("SHA-") ? "SHA-" + digest.substring(3) : digest;
            };
            return new ScramClient.ChannelBinding("tls-server-end-point",
                    MessageDigest.getInstance(digest).digest(certificate.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- SASL ----------------------------------------------------------------------------

    /** The mechanism names in these features (RFC 6120 §6.4.1), empty if SASL is not offered. */
    public static List<String> mechanisms(Element features) {
        Element mechanisms = features.element(org.dom4j.QName.get("mechanisms", SASL_NS));
        if (mechanisms == null) {
            return List.of();
        }
        return mechanisms.elements().stream().map(Element::getTextTrim).toList();
    }

    /**
     * A complete SCRAM exchange (RFC 6120 §6.4.2–6.4.6); returns {@code <success/>} (its server
     * signature verified) or {@code <failure/>}.
     */
    public Element authenticate(ScramClient scram) {
        try {
            Element reply = sasl("<auth xmlns='" + SASL_NS + "' mechanism='" + scram.mechanism() + "'>"
                    + base64(scram.clientFirst()) + "</auth>");
            if (!"challenge".equals(reply.getName())) {
                return reply;
            }
            reply = sasl("<response xmlns='" + SASL_NS + "'>" + base64(scram.clientFinal(decode(reply))) + "</response>");
            if ("success".equals(reply.getName())) {
                scram.verifyServerFinal(decode(reply));
            }
            return reply;
        } catch (GeneralSecurityException e) {
            throw new AssertionError("SCRAM exchange failed: " + e.getMessage(), e);
        }
    }

    /** SASL PLAIN (RFC 4616) with an empty authzid. */
    public Element authenticatePlain(String username, String password) {
        byte[] message = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return sasl("<auth xmlns='" + SASL_NS + "' mechanism='PLAIN'>" + base64(message) + "</auth>");
    }

    /** Sends a SASL element and returns the server's next SASL element. */
    public Element sasl(String xml) {
        send(xml);
        Element reply = nextElement();
        if (!SASL_NS.equals(reply.getNamespaceURI())) {
            throw new AssertionError("expected a SASL element, got " + reply.asXML());
        }
        return reply;
    }

    /** The condition inside a SASL {@code <failure/>} (RFC 6120 §6.5). */
    public static String saslFailureCondition(Element failure) {
        if (!"failure".equals(failure.getName())) {
            throw new AssertionError("expected <failure/>, got " + failure.asXML());
        }
        return failure.elements().stream().filter(e -> !"text".equals(e.getName())).findFirst()
                .map(Element::getName).orElseThrow(() -> new AssertionError("no condition in " + failure.asXML()));
    }

    // ---- binding and stanzas ---------------------------------------------------------------

    /** Restarts the stream after SASL success (RFC 6120 §6.4.6) and returns the new features. */
    public Element restartStream() {
        openStream();
        return features();
    }

    /** Binds {@code resource}, or asks the server to pick one if null (RFC 6120 §7.6); returns the IQ reply. */
    public Element bind(String resource) {
        String id = nextId();
        String inner = resource == null ? "" : "<resource>" + resource + "</resource>";
        send("<iq type='set' id='" + id + "'><bind xmlns='" + BIND_NS + "'>" + inner + "</bind></iq>");
        return nextElement(e -> id.equals(e.attributeValue("id")));
    }

    /** The full JID in a successful bind result. */
    public static String boundJid(Element bindResult) {
        if (!"result".equals(bindResult.attributeValue("type"))) {
            throw new AssertionError("bind failed: " + bindResult.asXML());
        }
        return bindResult.element(org.dom4j.QName.get("bind", BIND_NS)).elementTextTrim(org.dom4j.QName.get("jid", BIND_NS));
    }

    /**
     * The whole negotiation a normal client does: stream, STARTTLS, SCRAM-SHA-256, restart,
     * bind. Returns the bound full JID.
     */
    public String login(String username, String password, String resource) {
        openStream();
        features();
        startTls();
        Element outcome = authenticate(new ScramClient(ScramClient.Hash.SHA_256, username, password));
        if (!"success".equals(outcome.getName())) {
            throw new AssertionError("authentication failed: " + outcome.asXML());
        }
        restartStream();
        loggedInAs = boundJid(bind(resource));
        return loggedInAs;
    }

    /** Sends an IQ built from {@code format} (with {@code %s} for the id) and returns the response with that id. */
    public Element iq(String format) {
        String id = nextId();
        send(String.format(format, id));
        return nextElement(e -> "iq".equals(e.getName()) && id.equals(e.attributeValue("id")));
    }

    /** The condition of a stanza error (RFC 6120 §8.3.2). */
    public static String stanzaErrorCondition(Element stanza) {
        if (!"error".equals(stanza.attributeValue("type"))) {
            throw new AssertionError("expected a stanza error, got " + stanza.asXML());
        }
        Element error = stanza.element("error");
        if (error == null) {
            throw new AssertionError("an error stanza without <error/>: " + stanza.asXML());
        }
        return error.elements().stream().filter(e -> STANZA_ERRORS_NS.equals(e.getNamespaceURI())
                        && !"text".equals(e.getName()))
                .findFirst().map(Element::getName)
                .orElseThrow(() -> new AssertionError("no defined condition in " + stanza.asXML()));
    }

    public static String nextId() {
        return "raw-" + IDS.incrementAndGet();
    }

    private static String base64(byte[] data) {
        return data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data);
    }

    private static byte[] decode(Element element) {
        String text = element.getTextTrim();
        return text.isEmpty() || "=".equals(text) ? new byte[0] : Base64.getDecoder().decode(text);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the server may have closed first.
        }
    }
}
