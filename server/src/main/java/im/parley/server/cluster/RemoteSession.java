package im.parley.server.cluster;

import im.parley.core.routing.Handling;
import im.parley.core.stream.StreamError;
import im.parley.server.session.LocalSession;
import im.parley.server.storage.StoredXml;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.dom4j.DocumentException;
import org.dom4j.Element;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session bound on another node of the cluster, as this node's route table shows it: what the
 * router and the modules decide about it (priority, availability, its presence for probes) comes
 * from its shared {@link SessionRoute}, and so do whether it gets roster pushes, whom it sent
 * directed presence to, whether it gets carbon copies and whether it gets block-list pushes; a
 * stanza delivered to it goes to its node ({@link StanzaForwarder}). Immutable: a change of presence makes a new one.
 */
final class RemoteSession implements LocalSession {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSession.class);

    private final EntityFullJid jid;
    private final SessionRoute route;
    private final StanzaForwarder forwarder;
    private final SessionClosing closing;
    private final Element presence;
    private final Set<Jid> directedTo;

    RemoteSession(EntityFullJid jid, SessionRoute route, StanzaForwarder forwarder, SessionClosing closing) {
        this.jid = jid;
        this.route = route;
        this.forwarder = forwarder;
        this.closing = closing;
        this.presence = parse(route.presence());
        this.directedTo = route.directedTo().stream().map(StanzaForwarder::jidOrNull).filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet());
    }

    SessionRoute route() {
        return route;
    }

    @Override
    public String id() {
        return route.binding();
    }

    @Override
    public boolean isOnThisNode() {
        return false;
    }

    @Override
    public EntityFullJid jid() {
        return jid;
    }

    @Override
    public int priority() {
        return route.priority();
    }

    @Override
    public boolean isAvailable() {
        return route.available();
    }

    /** The owning node tracks the client's presence and shares it; nothing to record here. */
    @Override
    public void updatePresence(boolean available, int priority) {
    }

    @Override
    public Element sharedPresence() {
        return presence == null ? null : presence.createCopy();
    }

    /** RFC 6121 §2.1.6: its node shares that the client requested the roster there. */
    @Override
    public boolean sharedRosterInterest() {
        return route.rosterRequested();
    }

    /** RFC 6121 §4.6.3: its node shares whom the client sent directed presence to. */
    @Override
    public Set<Jid> sharedDirectedPresence() {
        return directedTo;
    }

    /** XEP-0280 §4, §5: its node shares whether the client has carbons enabled. */
    @Override
    public boolean sharedCarbons() {
        return route.carbons();
    }

    /** XEP-0191 §3.2: its node shares that the client retrieved its block list. */
    @Override
    public boolean sharedBlockListInterest() {
        return route.blockListRequested();
    }

    /** A stanza no sender waits for (a carbon copy, a notice): its node is still asked to confirm it. */
    @Override
    public void deliver(Element stanza) {
        deliver(stanza, Handling.none());
    }

    /** To the session's node; part of {@code handling} until that node confirmed it ({@link StanzaForwarder}). */
    @Override
    public void deliver(Element stanza, Handling handling) {
        forwarder.forward(route.node(), jid, stanza, handling);
    }

    /** Its node sends the stream error and closes it ({@link SessionClosing}). */
    @Override
    public void close(StreamError error) {
        closing.close(route.node(), jid, route.binding(), error);
    }

    @Override
    public String toString() {
        return "RemoteSession[" + jid + " on " + route.node() + "]";
    }

    private static Element parse(String xml) {
        if (xml == null) {
            return null;
        }
        try {
            return StoredXml.read(xml);
        } catch (DocumentException e) {
            LOG.warn("unreadable shared presence: {}", xml, e);
            return null;
        }
    }
}
