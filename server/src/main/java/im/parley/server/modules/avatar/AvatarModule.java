package im.parley.server.modules.avatar;

import im.parley.server.event.EventPriority;
import im.parley.server.event.StanzaEvents;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import im.parley.server.modules.pep.PepModule;
import im.parley.server.modules.pep.PepService;
import im.parley.server.modules.vcard.VcardModule;
import java.util.List;

/**
 * Avatars: user avatars in PEP (XEP-0084) and vCard avatars (XEP-0153) kept as one (XEP-0398),
 * and the photo hash in the presence of the account's clients (XEP-0398 §4).
 */
public final class AvatarModule implements XmppModule {

    static final String CONVERSION = "urn:xmpp:pep-vcard-conversion:0";

    @Override
    public String name() {
        return "avatar";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("pep", "vcard");
    }

    @Override
    public void load(ModuleContext context) {
        PepService pep = context.module(this, PepModule.class).service();
        VcardModule vcard = context.module(this, VcardModule.class);
        AvatarConversion conversion = new AvatarConversion(pep, context.storage().vcards(), vcard.maxBytes());
        pep.onChange(AvatarConversion.METADATA, conversion::metadataChanged);
        vcard.onSaved(conversion::vcardSaved);
        PhotoHashStamp stamp = new PhotoHashStamp(context.storage().vcards(), context.blocking());
        for (var type : StanzaEvents.pre("presence")) {
            context.hook(type, EventPriority.STAMP, stamp::onPresence);
        }
        // XEP-0398 §2: "MUST include ... on the account"; on the server too, where clients also look.
        context.addAccountFeature(CONVERSION);
        context.addServerFeature(CONVERSION);
    }
}
