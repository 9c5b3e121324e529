package im.parley.server.modules.bookmarks;

import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.modules.pep.PepItem;
import im.parley.server.modules.pep.PepService;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.privatedata.PrivateDataModule;
import im.parley.server.modules.privatedata.PrivateFragment;
import im.parley.server.storage.PrivateXmlStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an account's bookmarks the same in its three places (XEP-0402 §5.3, XEP-0411 §3): the
 * XEP-0402 node {@code urn:xmpp:bookmarks:1}, which holds them, the private XML fragment
 * {@code storage:bookmarks} (XEP-0049), made from that node when read, and the legacy PEP node
 * {@code storage:bookmarks} (XEP-0048 §3.3); the last two are written again whenever they change. A legacy list,
 * from private XML or the legacy node, changes only the items that differ (XEP-0402 §5.3.2: no
 * notification for an unchanged one). Runs in the owner's turn, on the blocking executor.
 */
final class BookmarkSync implements PrivateFragment {

    /** XEP-0402 §3.2: what clients publish with, so that a node the server creates is the same. */
    static final Map<String, List<String>> BOOKMARKS2_OPTIONS = Map.of(
            "pubsub#persist_items", List.of("true"), "pubsub#max_items", List.of("max"),
            "pubsub#send_last_published_item", List.of("never"), "pubsub#access_model", List.of("whitelist"));
    /** XEP-0048 §3.3 (XEP-0223 §3): private, persistent. */
    static final Map<String, List<String>> LEGACY_OPTIONS = Map.of(
            "pubsub#persist_items", List.of("true"), "pubsub#access_model", List.of("whitelist"));

    private static final Logger LOG = LoggerFactory.getLogger(BookmarkSync.class);

    private final PepService pep;
    private final PrivateXmlStore privateXml;
    /** Owners whose bookmarks this class is writing: the changes it makes are not synced back. */
    private final Set<EntityBareJid> syncing = ConcurrentHashMap.newKeySet();

    BookmarkSync(PepService pep, PrivateXmlStore privateXml) {
        this.pep = pep;
        this.privateXml = privateXml;
    }

    /** XEP-0411 §3: private XML reads see the PEP bookmarks, with the legacy URL bookmarks kept there. */
    @Override
    public Optional<Element> load(EntityBareJid owner) {
        migrate(owner);
        List<PepItem> items = pep.items(owner, Bookmark.BOOKMARKS2);
        Optional<Element> stored = storedLegacy(owner);
        if (items.isEmpty() && stored.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(legacy(items, stored));
    }

    /**
     * XEP-0411 §3: "the server should make sure that the data gets copied from Private XML to PEP
     * before the user logs in for the first time". A list kept in private XML before bookmarks
     * lived in PEP moves there, with the XEP-0402 items and the legacy node made from it; ever
     * since, the stored copy follows PEP, so an emptied PEP list has no conference left to bring back.
     */
    void migrate(EntityBareJid owner) {
        Optional<Element> stored = storedLegacy(owner);
        if (stored.isPresent() && stored.get().element(QName.get("conference", Bookmark.LEGACY)) != null
                && pep.items(owner, Bookmark.BOOKMARKS2).isEmpty()) {
            sync(owner, () -> {
                adopt(owner, stored.get());
                publishLegacy(owner);
            });
        }
    }

    /** XEP-0411 §3: a private XML write updates PEP, and those who get the legacy node's notifications. */
    @Override
    public void save(EntityBareJid owner, Element storage) {
        sync(owner, () -> {
            adopt(owner, storage);
            publishLegacy(owner);
        });
    }

    /** A client changed {@code urn:xmpp:bookmarks:1}: the legacy node follows. */
    void bookmarks2Changed(EntityBareJid owner) {
        if (!syncing.contains(owner)) {
            followPublish(owner, () -> publishLegacy(owner));
        }
    }

    /** A legacy client published its whole list to the legacy node (XEP-0048 §3.3): the XEP-0402 items follow. */
    void legacyChanged(EntityBareJid owner) {
        if (syncing.contains(owner)) {
            return;
        }
        List<PepItem> items = pep.items(owner, Bookmark.LEGACY);
        if (!items.isEmpty()) {
            Element storage = PrivateDataModule.parse(items.get(items.size() - 1).payloadXml());
            if (!storage.getQName().equals(QName.get("storage", Bookmark.LEGACY))) {
                return; // not a bookmark list: it changes nothing
            }
            followPublish(owner, () -> adopt(owner, storage));
        }
    }

    /** After a client's publish, which stands whatever happens here: a failure is logged, not answered. */
    private void followPublish(EntityBareJid owner, Step step) {
        try {
            sync(owner, step);
        } catch (RuntimeException e) {
            LOG.warn("the bookmarks of {} are not in step", owner, e);
        }
    }

    private interface Step {
        void run() throws Refusal;
    }

    private void sync(EntityBareJid owner, Step step) {
        syncing.add(owner);
        try {
            step.run();
        } catch (Refusal refusal) {
            throw new IllegalStateException("bookmarks of " + owner + " could not be synced: " + refusal.condition
                    + " " + refusal.getMessage(), refusal);
        } finally {
            syncing.remove(owner);
        }
    }

    /** Makes the XEP-0402 items what the legacy {@code storage} says, and keeps it for its URL bookmarks. */
    private void adopt(EntityBareJid owner, Element storage) throws Refusal {
        privateXml.save(owner, Bookmark.LEGACY, "storage", storage.asXML());
        Map<String, Bookmark> wanted = new LinkedHashMap<>();
        for (Element conference : storage.elements(QName.get("conference", Bookmark.LEGACY))) {
            Bookmark.fromLegacy(conference).ifPresent(b -> wanted.put(b.jid(), b));
        }
        Map<String, Element> current = new LinkedHashMap<>();
        for (PepItem item : pep.items(owner, Bookmark.BOOKMARKS2)) {
            current.put(item.id(), PrivateDataModule.parse(item.payloadXml()));
        }
        for (String gone : current.keySet()) {
            if (!wanted.containsKey(gone)) {
                pep.retract(owner, Bookmark.BOOKMARKS2, gone, true);
            }
        }
        for (Bookmark bookmark : wanted.values()) {
            Element previous = current.get(bookmark.jid());
            if (previous == null || !Bookmark.fromBookmarks2(bookmark.jid(), previous).equals(bookmark)) {
                publish(owner, Bookmark.BOOKMARKS2, bookmark.jid(), bookmark.toBookmarks2(previous), BOOKMARKS2_OPTIONS);
            }
        }
    }

    /** The legacy list, made from the XEP-0402 items, in private XML and the legacy node. */
    private void publishLegacy(EntityBareJid owner) throws Refusal {
        Element storage = legacy(pep.items(owner, Bookmark.BOOKMARKS2), storedLegacy(owner));
        privateXml.save(owner, Bookmark.LEGACY, "storage", storage.asXML());
        publish(owner, Bookmark.LEGACY, "current", storage, LEGACY_OPTIONS);
    }

    /**
     * Publishes with the options a new node gets; a node the user configured otherwise keeps
     * its configuration (its options would be unmet preconditions, XEP-0060 §7.1.5).
     */
    private void publish(EntityBareJid owner, String node, String id, Element payload,
                         Map<String, List<String>> options) throws Refusal {
        try {
            pep.publish(owner, node, id, payload, options);
        } catch (Refusal refusal) {
            if (refusal.condition != StanzaErrorCondition.CONFLICT) {
                throw refusal;
            }
            pep.publish(owner, node, id, payload, Map.of());
        }
    }

    /** XEP-0048 §3: the XEP-0402 items as conferences, then the URL bookmarks of the stored legacy list. */
    private static Element legacy(List<PepItem> items, Optional<Element> stored) {
        Element storage = DocumentHelper.createElement(QName.get("storage", Bookmark.LEGACY));
        for (PepItem item : items) {
            storage.add(Bookmark.fromBookmarks2(item.id(), PrivateDataModule.parse(item.payloadXml())).toLegacy());
        }
        stored.ifPresent(s -> s.elements(QName.get("url", Bookmark.LEGACY)).forEach(url -> storage.add(url.createCopy())));
        return storage;
    }

    private Optional<Element> storedLegacy(EntityBareJid owner) {
        return privateXml.load(owner, Bookmark.LEGACY, "storage").map(PrivateDataModule::parse);
    }
}
