package im.parley.server.modules.vcard;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.module.XmppModule;
import im.parley.server.storage.StoredXml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * vcard-temp (XEP-0054): an account publishes its vCard with an IQ-set to itself (§3.2) and
 * anyone retrieves it with an IQ-get to the account's bare JID, answered by the server (§3.1,
 * §3.3).
 */
public final class VcardModule implements XmppModule {

    public static final String NAMESPACE = "vcard-temp";
    /** Largest vCard accepted, in UTF-8 bytes of its XML (photos are the usual bulk). */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /** Told of every vCard an account sets, in its turn, on the blocking executor. */
    @FunctionalInterface
    public interface SaveListener {
        void saved(EntityBareJid owner, Element vcard);
    }

    private final int maxBytes;
    private final List<SaveListener> listeners = new CopyOnWriteArrayList<>();
    private ModuleContext context;

    public VcardModule() {
        this(DEFAULT_MAX_BYTES);
    }

    public VcardModule(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "vcard";
    }

    @Override
    public void load(ModuleContext context) {
        this.context = context;
        context.handleAccountIq(NAMESPACE, this::handle);
        context.addServerFeature(NAMESPACE);
    }

    /** Calls {@code listener} after each vCard an account sets (XEP-0054 §3.2). Call while loading. */
    public void onSaved(SaveListener listener) {
        listeners.add(listener);
    }

    /** The largest vCard accepted, in UTF-8 bytes of its XML. */
    public int maxBytes() {
        return maxBytes;
    }

    private CompletionStage<Element> handle(Stanza iq) {
        Element vcard = iq.element().elements().get(0);
        EntityBareJid requester = iq.from().asEntityBareJidIfPossible();
        EntityBareJid target = iq.to() == null ? requester : iq.to().asEntityBareJidIfPossible();
        if (!"vCard".equals(vcard.getName()) || target == null) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST);
        }
        boolean own = target.equals(requester);
        if ("set".equals(iq.type())) {
            if (!own) {
                // XEP-0054 §3.2: setting another user's vCard is forbidden.
                return error(iq, StanzaErrorCondition.FORBIDDEN);
            }
            String xml = vcard.asXML();
            if (xml.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE);
            }
            return PoolWork.supply(() -> {
                context.storage().vcards().save(target, xml);
                listeners.forEach(listener -> listener.saved(target, vcard));
                return Stanzas.iqResult(iq.element());
            }, context.blocking());
        }
        return PoolWork.supply(() -> get(iq, target, own), context.blocking());
    }

    /**
     * XEP-0054 §3.1: one's own missing vCard is an empty {@code <vCard/>}. §3.3: another user's
     * missing vCard, or a user that does not exist, is the same {@code item-not-found}, so that
     * the answer does not reveal which accounts exist.
     */
    private Element get(Stanza iq, EntityBareJid target, boolean own) {
        // A stored vCard implies the account exists: deleting an account deletes its vCard (V4).
        Optional<Element> stored = context.storage().vcards().load(target).map(VcardModule::parse);
        if (stored.isEmpty() && !own) {
            return errorReply(iq, StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        Element result = Stanzas.iqResult(iq.element());
        result.add(stored.orElseGet(() -> DocumentHelper.createElement(QName.get("vCard", NAMESPACE))));
        return result;
    }

    /** A stored vCard, parsed again. */
    public static Element parse(String xml) {
        return StoredXml.parse(xml, "stored vCard");
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition) {
        return CompletableFuture.completedFuture(errorReply(iq, condition));
    }

    private static Element errorReply(Stanza iq, StanzaErrorCondition condition) {
        return Stanzas.errorReply(iq.element(), StanzaError.of(condition));
    }
}
