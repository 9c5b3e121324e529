package im.parley.server.component;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.net.PeerFaults;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StreamError;
import im.parley.core.stream.StreamErrorCondition;
import im.parley.core.xml.StreamClose;
import im.parley.core.xml.StreamFault;
import im.parley.core.xml.StreamOpen;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound external component stream (XEP-0114). The explicit states: waiting for the
 * header, then for the handshake, then established.
 *
 * <ul>
 *   <li>§3: the header's content namespace is {@code jabber:component:accept}
 *       ({@code invalid-namespace} otherwise) and its {@code to} a configured component domain
 *       ({@code host-unknown}); the server answers with its header, carrying a fresh stream id.</li>
 *   <li>§3: the component sends {@code <handshake/>} with SHA-1(stream id + secret) in hex; a
 *       match gets an empty {@code <handshake/>}, anything else {@code not-authorized}. A second
 *       connection for a domain already connected gets {@code conflict}.</li>
 *   <li>Then stanzas flow both ways; a stanza from the component must come from its domain or a
 *       subdomain ({@code invalid-from}, RFC 6120 §4.9.3.9).</li>
 * </ul>
 */
final class ComponentStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentStreamHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { AWAITING_HEADER, AWAITING_HANDSHAKE, ESTABLISHED, CLOSED }

    private final ComponentRouter router;
    private State state = State.AWAITING_HEADER;
    private Channel channel;
    private DomainBareJid domain;
    private String streamId;

    ComponentStreamHandler(ComponentRouter router) {
        this.router = router;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state == State.ESTABLISHED) {
            LOG.info("component {} disconnected", domain);
            router.detach(domain, this);
        }
        state = State.CLOSED;
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (msg instanceof StreamOpen open) {
                onHeader(open);
            } else if (msg instanceof Element element) {
                onElement(element);
            } else if (msg instanceof StreamClose) {
                ctx.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
                state = State.CLOSED;
            } else if (msg instanceof StreamFault fault) {
                close(fault.error());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (PeerFaults.isFromPeer(cause)) {
            LOG.debug("component stream {}: {}", domain, PeerFaults.describe(cause));
        } else {
            LOG.warn("component stream {}: internal error", domain, cause);
        }
        ctx.close();
    }

    /** Writes a stanza (already in the component namespace) to the component. */
    void deliver(Element stanza) {
        channel.writeAndFlush(stanza);
    }

    void shutDown() {
        close(StreamError.of(StreamErrorCondition.SYSTEM_SHUTDOWN, null));
    }

    private void onHeader(StreamOpen open) {
        if (state != State.AWAITING_HEADER) {
            close(StreamError.of(StreamErrorCondition.POLICY_VIOLATION, "unexpected stream header"));
            return;
        }
        streamId = HexFormat.of().formatHex(randomBytes());
        DomainBareJid requested = parseDomain(open.to());
        channel.write(new StreamOpen(null, requested == null ? null : requested.toString(), streamId, null, null,
                ComponentNamespace.ACCEPT));
        if (!ComponentNamespace.ACCEPT.equals(open.contentNamespace())) {
            close(StreamError.of(StreamErrorCondition.INVALID_NAMESPACE, "components use jabber:component:accept"));
        } else if (requested == null || !router.secrets().isComponent(requested)) {
            close(StreamError.of(StreamErrorCondition.HOST_UNKNOWN, "no component is configured for '" + open.to() + "'"));
        } else {
            domain = requested;
            state = State.AWAITING_HANDSHAKE;
            channel.flush();
        }
    }

    private void onElement(Element element) {
        if (Namespaces.STREAMS.equals(element.getNamespaceURI()) && "error".equals(element.getName())) {
            LOG.info("component {} sent a stream error: {}", domain, element.asXML());
            channel.close();
            return;
        }
        switch (state) {
            case AWAITING_HANDSHAKE -> onHandshake(element);
            case ESTABLISHED -> onStanza(element);
            default -> close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "handshake first"));
        }
    }

    private void onHandshake(Element element) {
        if (!"handshake".equals(element.getName()) || !ComponentNamespace.ACCEPT.equals(element.getNamespaceURI())) {
            close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, "handshake first"));
            return;
        }
        if (!router.secrets().accepts(domain, streamId, element.getText())) {
            LOG.warn("component {}: wrong handshake from {}", domain, channel.remoteAddress());
            close(StreamError.of(StreamErrorCondition.NOT_AUTHORIZED, null));
            return;
        }
        if (!router.attach(domain, this)) {
            close(StreamError.of(StreamErrorCondition.CONFLICT, "the component is already connected"));
            return;
        }
        state = State.ESTABLISHED;
        LOG.info("component {} connected from {}", domain, channel.remoteAddress());
        channel.writeAndFlush(DocumentHelper.createElement(QName.get("handshake", ComponentNamespace.ACCEPT)));
    }

    private void onStanza(Element element) {
        String name = element.getName();
        if (!ComponentNamespace.ACCEPT.equals(element.getNamespaceURI())
                || !("message".equals(name) || "presence".equals(name) || "iq".equals(name))) {
            close(StreamError.of(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "<" + name + "/> is not a stanza"));
            return;
        }
        Jid from = parseJid(element.attributeValue("from"));
        Jid to = parseJid(element.attributeValue("to"));
        if (from == null || !isOwnDomain(from.asDomainBareJid())) {
            close(StreamError.of(StreamErrorCondition.INVALID_FROM, "stanzas must come from " + domain));
            return;
        }
        if (to == null) {
            close(StreamError.of(StreamErrorCondition.IMPROPER_ADDRESSING, "stanzas from components need a 'to'"));
            return;
        }
        router.fromComponent(new Stanza(ComponentNamespace.fromComponent(element), from, to));
    }

    /** The component's domain or a subdomain of it (as Prosody and ejabberd allow). */
    private boolean isOwnDomain(DomainBareJid candidate) {
        String name = candidate.toString();
        return candidate.equals(domain) || name.endsWith("." + domain);
    }

    private void close(StreamError error) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.ESTABLISHED) {
            router.detach(domain, this);
        }
        state = State.CLOSED;
        channel.write(error.toElement());
        channel.writeAndFlush(StreamClose.INSTANCE).addListener(ChannelFutureListener.CLOSE);
    }

    private static DomainBareJid parseDomain(String text) {
        try {
            return text == null ? null : Jids.parseDomain(text);
        } catch (JidMalformedException e) {
            return null;
        }
    }

    private static Jid parseJid(String text) {
        try {
            return text == null ? null : Jids.parse(text);
        } catch (JidMalformedException e) {
            return null;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
