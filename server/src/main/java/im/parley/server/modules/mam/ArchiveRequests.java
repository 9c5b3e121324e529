package im.parley.server.modules.mam;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.IqHandler;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.session.LocalSession;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The IQs of an account's archive, from its own resources only (XEP-0313 §8.1: anyone else is
 * {@code forbidden}): the query form (§4.1.5), queries (§4) with their results sent before the
 * {@code <fin/>} (§4.2), metadata (§5) and preferences (XEP-0441).
 */
final class ArchiveRequests implements IqHandler {

    static final String FORWARD = "urn:xmpp:forward:0";
    static final String DELAY = "urn:xmpp:delay";
    static final String XDATA_VALIDATE = "http://jabber.org/protocol/xdata-validate";

    private final ModuleContext context;
    private final ArchiveIndex store;
    private final Supplier<CompletableFuture<Void>> queued;
    private final Runnable settle;
    private final ArchivePreferences preferences;
    private final int maxPageSize;

    /**
     * @param queued completes once every message queued for the archive so far is written
     *     ({@link ArchiveWriter#flushed}); never blocks
     * @param settle makes the store hold every message written so far (the journal's catch-up); blocking
     */
    ArchiveRequests(ModuleContext context, ArchiveIndex store, Supplier<CompletableFuture<Void>> queued, Runnable settle,
                    ArchivePreferences preferences, int maxPageSize) {
        this.context = context;
        this.store = store;
        this.queued = queued;
        this.settle = settle;
        this.preferences = preferences;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public CompletionStage<Element> handle(Stanza iq) {
        EntityFullJid requester = iq.from() == null ? null : iq.from().asEntityFullJidIfPossible();
        EntityBareJid owner = requester == null ? null : requester.asEntityBareJid();
        if (owner == null || iq.to() != null && !owner.equals(iq.to().asBareJid())) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, "only the account's own resources use its archive");
        }
        Element payload = iq.element().elements().get(0);
        boolean get = "get".equals(iq.type());
        return switch (payload.getName()) {
            case "query" -> get ? answer(Stanzas.iqResult(iq.element()), ArchiveAnswers.form())
                    : settled(() -> query(iq, owner, requester, payload));
            case "metadata" -> get ? settled(() -> metadata(iq, owner)) : error(iq, StanzaErrorCondition.BAD_REQUEST, null);
            case "prefs" -> blocking(() -> get ? prefs(iq, preferences.of(owner)) : setPrefs(iq, owner, payload));
            default -> error(iq, StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, null);
        };
    }

    /** §4: the matches to the requesting resource, straight to its session (see {@link ArchiveAnswers#query}). */
    private Element query(Stanza iq, EntityBareJid owner, EntityFullJid requester, Element payload) {
        Optional<LocalSession> session = context.sessions().find(requester);
        return ArchiveAnswers.query(iq, payload, maxPageSize, owner, requester, query -> store.query(owner, query),
                result -> session.ifPresent(s -> s.deliver(result)));
    }

    /** §5: the oldest and the newest message; an empty archive has an empty {@code <metadata/>}. */
    private Element metadata(Stanza iq, EntityBareJid owner) {
        Element metadata = DocumentHelper.createElement(QName.get("metadata", MamModule.NAMESPACE));
        store.ends(owner).ifPresent(ends -> {
            metadata.addElement(QName.get("start", MamModule.NAMESPACE))
                    .addAttribute("id", ends.get(0).id())
                    .addAttribute("timestamp", ArchiveAnswers.stamp(ends.get(0).stamp()));
            metadata.addElement(QName.get("end", MamModule.NAMESPACE))
                    .addAttribute("id", ends.get(1).id())
                    .addAttribute("timestamp", ArchiveAnswers.stamp(ends.get(1).stamp()));
        });
        return withPayload(Stanzas.iqResult(iq.element()), metadata);
    }

    private static Element prefs(Stanza iq, ArchivePrefs prefs) {
        Element element = DocumentHelper.createElement(QName.get("prefs", MamModule.NAMESPACE));
        element.addAttribute("default", prefs.defaultMode().name().toLowerCase(Locale.ROOT));
        jids(element.addElement(QName.get("always", MamModule.NAMESPACE)), prefs.always());
        jids(element.addElement(QName.get("never", MamModule.NAMESPACE)), prefs.never());
        return withPayload(Stanzas.iqResult(iq.element()), element);
    }

    private static void jids(Element list, Set<BareJid> jids) {
        jids.stream().map(BareJid::toString).sorted()
                .forEach(jid -> list.addElement(QName.get("jid", MamModule.NAMESPACE)).setText(jid));
    }

    /** XEP-0441 §3: new preferences replace the old; the answer carries them as stored. */
    private Element setPrefs(Stanza iq, EntityBareJid owner, Element payload) {
        ArchiveMode mode;
        try {
            mode = ArchiveMode.valueOf(payload.attributeValue("default", "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST, "default must be always, never or roster"));
        }
        Set<BareJid> always = new HashSet<>();
        Set<BareJid> never = new HashSet<>();
        try {
            readJids(payload.element(QName.get("always", MamModule.NAMESPACE)), always);
            readJids(payload.element(QName.get("never", MamModule.NAMESPACE)), never);
        } catch (JidMalformedException e) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST, "not a JID"));
        }
        never.removeAll(always);
        ArchivePrefs prefs = new ArchivePrefs(mode, always, never);
        if (!preferences.set(owner, prefs)) {
            return Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND));
        }
        return prefs(iq, prefs);
    }

    private static void readJids(Element list, Set<BareJid> into) throws JidMalformedException {
        if (list != null) {
            for (Element jid : list.elements(QName.get("jid", MamModule.NAMESPACE))) {
                into.add(Jids.parse(jid.getTextTrim()).asBareJid());
            }
        }
    }

    private CompletionStage<Element> blocking(Supplier<Element> work) {
        return PoolWork.supply(work, context.blocking());
    }

    /**
     * A read that sees every message archived (and so acknowledged, XEP-0198 §4) or delivered
     * before the request: the messages queued for the archive are written first, then the
     * journal's records up to now are indexed, on the blocking thread.
     */
    private CompletionStage<Element> settled(Supplier<Element> read) {
        return queued.get().thenCompose(written -> blocking(() -> {
            settle.run();
            return read.get();
        }));
    }


    private static Element withPayload(Element iq, Element payload) {
        iq.add(payload);
        return iq;
    }

    private static CompletionStage<Element> answer(Element iq, Element payload) {
        return CompletableFuture.completedFuture(withPayload(iq, payload));
    }

    private static CompletionStage<Element> error(Stanza iq, StanzaErrorCondition condition, String text) {
        StanzaError error = text == null ? StanzaError.of(condition) : StanzaError.of(condition, text);
        return CompletableFuture.completedFuture(Stanzas.errorReply(iq.element(), error));
    }
}
