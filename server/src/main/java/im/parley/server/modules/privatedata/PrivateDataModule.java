package im.parley.server.modules.privatedata;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.storage.PrivateXmlStore;
import im.parley.server.storage.StoredXml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * Private XML storage (XEP-0049 §2): an account keeps XML fragments on its server, one per
 * qualified element name, that only the account itself can read or write.
 */
public final class PrivateDataModule implements XmppModule {

    public static final String NAMESPACE = "jabber:iq:private";
    /** Largest fragment accepted, in UTF-8 bytes of its XML. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /**
     * XEP-0049 §3: fragments must be scoped by their own namespace; the storage namespace and
     * the stanza content namespaces are not theirs.
     */
    private static final Set<String> RESERVED = Set.of("", NAMESPACE, Namespaces.CLIENT, Namespaces.SERVER);

    private final int maxBytes;
    private final Map<QName, PrivateFragment> served = new ConcurrentHashMap<>();
    private ModuleContext context;

    public PrivateDataModule() {
        this(DEFAULT_MAX_BYTES);
    }

    public PrivateDataModule(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "private";
    }

    @Override
    public void load(ModuleContext context) {
        this.context = context;
        context.addServerFeature(NAMESPACE);
        context.handleAccountIq(NAMESPACE, this::handle);
    }

    /**
     * Lets another module keep the fragments named {@code name} (e.g. bookmarks in PEP): gets and
     * sets of them go to {@code fragment} instead of the private XML store. Call while loading.
     */
    public void serve(QName name, PrivateFragment fragment) {
        served.put(name, fragment);
    }

    private CompletionStage<Element> handle(Stanza iq) {
        Element query = iq.element().elements().get(0);
        EntityBareJid owner = iq.from().asEntityBareJidIfPossible();
        if (owner == null || (iq.to() != null && !iq.to().equals(owner))) {
            // XEP-0049 §3: another user's private data is forbidden.
            return error(iq, StanzaErrorCondition.FORBIDDEN);
        }
        if (!"query".equals(query.getName())) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST);
        }
        List<Element> fragments = query.elements();
        // XEP-0049 §2.1: at least one child in a namespace of its own, or not-acceptable.
        if (fragments.isEmpty() || fragments.stream().anyMatch(f -> RESERVED.contains(f.getNamespaceURI()))) {
            return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE);
        }
        if ("get".equals(iq.type())) {
            if (fragments.size() > 1) {
                // XEP-0049 §2.1: a get asks for one namespace only.
                return error(iq, StanzaErrorCondition.BAD_REQUEST);
            }
            return PoolWork.supply(() -> get(iq, owner, fragments.get(0)), context.blocking());
        }
        for (Element fragment : fragments) {
            if (fragment.asXML().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE);
            }
        }
        return PoolWork.supply(() -> set(iq, owner, fragments), context.blocking());
    }

    /** XEP-0049 §2.2: the stored fragment, or the requested element back, empty, when there is none. */
    private Element get(Stanza iq, EntityBareJid owner, Element requested) {
        PrivateFragment fragment = served.get(requested.getQName());
        Optional<Element> stored = fragment != null ? fragment.load(owner) : context.storage().privateXml()
                .load(owner, requested.getNamespaceURI(), requested.getName())
                .map(PrivateDataModule::parse);
        Element result = Stanzas.iqResult(iq.element());
        Element query = result.addElement(iq.element().elements().get(0).getQName());
        query.add(stored.orElseGet(() -> DocumentHelper.createElement(requested.getQName())));
        return result;
    }

    private Element set(Stanza iq, EntityBareJid owner, List<Element> fragments) {
        PrivateXmlStore store = context.storage().privateXml();
        for (Element fragment : fragments) {
            PrivateFragment served = this.served.get(fragment.getQName());
            if (served != null) {
                served.save(owner, fragment.createCopy());
            } else {
                store.save(owner, fragment.getNamespaceURI(), fragment.getName(), fragment.asXML());
            }
        }
        return Stanzas.iqResult(iq.element());
    }

    /** A fragment as stored, parsed again. */
    public static Element parse(String xml) {
        return StoredXml.parse(xml, "stored private XML");
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition) {
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(), StanzaError.of(condition)));
    }
}
