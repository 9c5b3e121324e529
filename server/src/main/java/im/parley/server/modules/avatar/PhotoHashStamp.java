package im.parley.server.modules.avatar;

import im.parley.core.routing.Stanza;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.Verdict;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.vcard.VcardModule;
import im.parley.server.storage.VcardStore;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the hash of the account's vCard photo into the available presence its clients send,
 * broadcast and directed (XEP-0398 §4, XEP-0153 §4.3), unless the client says otherwise: a
 * {@code <photo/>} the client set, empty or not, stays; an {@code <x/>} without one gets it.
 */
final class PhotoHashStamp {

    static final String UPDATE = "vcard-temp:x:update";
    private static final Logger LOG = LoggerFactory.getLogger(PhotoHashStamp.class);

    private final VcardStore vcards;
    private final Executor blocking;

    PhotoHashStamp(VcardStore vcards, Executor blocking) {
        this.vcards = vcards;
        this.blocking = blocking;
    }

    Verdict onPresence(StanzaEvent event) {
        Stanza presence = event.stanza();
        EntityBareJid owner = presence.from() == null ? null : presence.from().asEntityBareJidIfPossible();
        Element x = presence.element().element(QName.get("x", UPDATE));
        if (event.origin() == null || owner == null || !presence.isPresence() || presence.type() != null
                || (x != null && x.element(QName.get("photo", UPDATE)) != null)) {
            return Verdict.PASS;
        }
        // Resumed inside the deferred piece: the presence goes on within its turn among the
        // account's stanzas, stamped, or as sent when the vCard cannot be read now.
        return Verdict.suspend(continuation -> event.work().defer(() -> PoolWork.supply(() -> hash(owner), blocking)
                .handle((hash, failure) -> {
                    if (failure != null) {
                        LOG.warn("cannot read the vCard photo of {}", owner, failure);
                    } else if (hash.isPresent()) {
                        event.replace(stamped(presence, hash.get()));
                    }
                    continuation.resume(Verdict.PASS);
                    return null;
                })));
    }

    /** XEP-0153 §4.1: the hex SHA-1 of the photo's bytes. */
    private Optional<String> hash(EntityBareJid owner) {
        return vcards.load(owner).map(VcardModule::parse).flatMap(Avatar::ofVcard).map(Avatar::id);
    }

    /** A copy (stanzas are immutable once routing starts) with {@code <x><photo>hash</photo></x>}. */
    private static Stanza stamped(Stanza presence, String hash) {
        Element copy = presence.element().createCopy();
        copy.elements(QName.get("x", UPDATE)).forEach(copy::remove);
        copy.addElement(QName.get("x", UPDATE)).addElement(QName.get("photo", UPDATE)).setText(hash);
        return new Stanza(copy, presence.from(), presence.to());
    }
}
