package im.parley.server.modules.avatar;

import im.parley.server.modules.pep.PepItem;
import im.parley.server.modules.pep.PepService;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.vcard.VcardModule;
import im.parley.server.storage.VcardStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * User avatars (XEP-0084) and vCard avatars (XEP-0153) as one (XEP-0398 §3): a new PEP avatar
 * becomes the vCard's PHOTO (§3.1), a vCard with a PHOTO is published to PEP (§3.2). Runs in the
 * owner's turn, on the blocking executor.
 */
final class AvatarConversion {

    static final String DATA = "urn:xmpp:avatar:data";
    static final String METADATA = "urn:xmpp:avatar:metadata";
    private static final Logger LOG = LoggerFactory.getLogger(AvatarConversion.class);

    private final PepService pep;
    private final VcardStore vcards;
    private final int maxVcardBytes;
    /** Owners whose avatar this class is writing: its own changes are not converted back. */
    private final Set<EntityBareJid> converting = ConcurrentHashMap.newKeySet();

    AvatarConversion(PepService pep, VcardStore vcards, int maxVcardBytes) {
        this.pep = pep;
        this.vcards = vcards;
        this.maxVcardBytes = maxVcardBytes;
    }

    /**
     * XEP-0398 §3.1: from the metadata's info without a URL, the data item it names, if its
     * SHA-1 is its id, becomes the PHOTO. Empty metadata (XEP-0084 §4.5, avatar disabled)
     * removes the PHOTO.
     */
    void metadataChanged(EntityBareJid owner) {
        if (converting.contains(owner)) {
            return;
        }
        List<PepItem> metadata = pep.items(owner, METADATA);
        if (metadata.isEmpty()) {
            return;
        }
        Element latest = VcardModule.parse(metadata.get(metadata.size() - 1).payloadXml());
        List<Element> infos = latest.elements(QName.get("info", METADATA));
        if (infos.isEmpty()) {
            saveVcard(owner, null);
            return;
        }
        infos.stream().filter(info -> info.attributeValue("url") == null).findFirst()
                .flatMap(info -> data(owner, info))
                .ifPresent(avatar -> saveVcard(owner, avatar));
    }

    private Optional<Avatar> data(EntityBareJid owner, Element info) {
        String id = info.attributeValue("id", "");
        return pep.items(owner, DATA).stream().filter(item -> item.id().equals(id)).findFirst()
                .map(item -> VcardModule.parse(item.payloadXml()).getTextTrim())
                .map(text -> new Avatar(decode(text), info.attributeValue("type", "image/png")))
                .filter(avatar -> avatar.id().equalsIgnoreCase(id));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private void saveVcard(EntityBareJid owner, Avatar avatar) {
        Element vcard = vcards.load(owner).map(VcardModule::parse)
                .orElseGet(() -> DocumentHelper.createElement(QName.get("vCard", Avatar.VCARD)));
        String xml = Avatar.inVcard(vcard, avatar).asXML();
        if (xml.getBytes(StandardCharsets.UTF_8).length > maxVcardBytes) {
            LOG.info("the avatar of {} is too large for its vCard ({} bytes at most): the vCard keeps its photo",
                    owner, maxVcardBytes);
            return;
        }
        vcards.save(owner, xml);
    }

    /** XEP-0398 §3.2: a vCard with a PHOTO is published to the data node, then the metadata node. */
    void vcardSaved(EntityBareJid owner, Element vcard) {
        Optional<Avatar> avatar = Avatar.ofVcard(vcard);
        if (avatar.isEmpty() || converting.contains(owner) || isCurrent(owner, avatar.get().id())) {
            return;
        }
        Avatar image = avatar.get();
        Element data = DocumentHelper.createElement(QName.get("data", DATA));
        data.setText(image.base64());
        Element metadata = DocumentHelper.createElement(QName.get("metadata", METADATA));
        metadata.addElement(QName.get("info", METADATA)).addAttribute("bytes", Integer.toString(image.bytes().length))
                .addAttribute("id", image.id()).addAttribute("type", image.type());
        converting.add(owner);
        try {
            pep.publish(owner, DATA, image.id(), data, Map.of());
            pep.publish(owner, METADATA, image.id(), metadata, Map.of());
        } catch (Refusal refusal) {
            LOG.info("the vCard photo of {} could not be published as its avatar: {} {}", owner, refusal.condition,
                    refusal.getMessage());
        } finally {
            converting.remove(owner);
        }
    }

    private boolean isCurrent(EntityBareJid owner, String id) {
        List<PepItem> metadata = pep.items(owner, METADATA);
        return !metadata.isEmpty() && metadata.get(metadata.size() - 1).id().equals(id);
    }
}
