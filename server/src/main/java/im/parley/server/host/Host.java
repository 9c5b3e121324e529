package im.parley.server.host;

import im.parley.server.event.EventBus;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * One domain this server serves (RFC 6120 §2.1: a "host"): a hosted domain with accounts, or an
 * in-process component host such as {@code conference.example.org} that a module serves. Each
 * host has its own event bus: the addressed events of stanzas for it fire there, and the modules
 * enabled on it hook there.
 */
public final class Host {

    /** What a host serves. */
    public enum Kind {
        /** A hosted domain with user accounts and their sessions. */
        ACCOUNTS,
        /** A service on its own domain (group chat, upload), served by a module of a parent host. */
        COMPONENT
    }

    private final DomainBareJid domain;
    private final Kind kind;
    private final Host parent;
    private final EventBus events = new EventBus();
    private final List<Host> components = new CopyOnWriteArrayList<>();

    private Host(DomainBareJid domain, Kind kind, Host parent) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.kind = kind;
        this.parent = parent;
    }

    static Host accounts(DomainBareJid domain) {
        return new Host(domain, Kind.ACCOUNTS, null);
    }

    static Host component(DomainBareJid domain, Host parent) {
        Host component = new Host(domain, Kind.COMPONENT, Objects.requireNonNull(parent, "parent"));
        parent.components.add(component);
        return component;
    }

    public DomainBareJid domain() {
        return domain;
    }

    public Kind kind() {
        return kind;
    }

    /** The hosted domain whose module serves this component host; empty for a hosted domain. */
    public Optional<Host> parent() {
        return Optional.ofNullable(parent);
    }

    /** The component hosts modules of this host serve (listed in its disco#items, XEP-0030 §4). */
    public List<Host> components() {
        return List.copyOf(components);
    }

    /** The host's own event bus. */
    public EventBus events() {
        return events;
    }

    @Override
    public String toString() {
        return domain + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
