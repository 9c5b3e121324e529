package im.parley.server.modules.contactinfo;

import im.parley.server.config.ContactAddressesConfig;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Contact Addresses for XMPP Services (XEP-0157 §2): the configured addresses become a
 * {@code jabber:x:data} form of type {@code result} with the FORM_TYPE
 * {@code http://jabber.org/network/serverinfo}, added to the server's disco#info as extended
 * information (XEP-0128 §2). Nothing is added when no address is configured.
 */
public final class ContactAddressesModule implements XmppModule {

    public static final String FORM_TYPE = "http://jabber.org/network/serverinfo";
    private static final Namespace DATA = Namespace.get("jabber:x:data");

    private final ContactAddressesConfig addresses;

    public ContactAddressesModule(ContactAddressesConfig addresses) {
        this.addresses = addresses;
    }

    @Override
    public String name() {
        return "contact-addresses";
    }

    @Override
    public void load(ModuleContext context) {
        if (!addresses.isEmpty()) {
            context.addServerInfoExtension(form(addresses));
        }
    }

    /** The XEP-0157 §2 form: a hidden FORM_TYPE, then one {@code <kind>-addresses} field per configured kind. */
    static Element form(ContactAddressesConfig addresses) {
        Element x = DocumentHelper.createElement(QName.get("x", DATA));
        x.addAttribute("type", "result");
        Element formType = x.addElement(QName.get("field", DATA));
        formType.addAttribute("var", "FORM_TYPE").addAttribute("type", "hidden");
        formType.addElement(QName.get("value", DATA)).setText(FORM_TYPE);
        for (String kind : ContactAddressesConfig.KINDS) {
            List<String> uris = addresses.of(kind);
            if (uris.isEmpty()) {
                continue;
            }
            Element field = x.addElement(QName.get("field", DATA));
            field.addAttribute("var", kind + "-addresses").addAttribute("type", "list-multi");
            uris.forEach(uri -> field.addElement(QName.get("value", DATA)).setText(uri));
        }
        return x;
    }
}
