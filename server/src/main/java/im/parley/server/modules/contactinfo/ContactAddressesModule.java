package im.parley.server.modules.contactinfo;

import im.parley.server.config.ModuleOption;
import im.parley.server.config.OptionSection;
import im.parley.server.config.ValueType;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    static final OptionSection SECTION = new OptionSection("contact_addresses", "Contact addresses published in the "
            + "server's service discovery information (XEP-0157), as URIs such as `xmpp:admin@example.org` or "
            + "`mailto:abuse@example.org`.");
    /** One option per address kind, in {@link ContactAddressesConfig#KINDS} order. */
    static final Map<String, ModuleOption<List<String>>> BY_KIND = declareOptions();

    /** The option of one address kind, e.g. {@code contact_addresses.admin}. */
    public static ModuleOption<List<String>> option(String kind) {
        return BY_KIND.get(kind);
    }

    @Override
    public String name() {
        return "contact-addresses";
    }

    @Override
    public List<ModuleOption<?>> options() {
        return new ArrayList<>(BY_KIND.values());
    }

    @Override
    public void load(ModuleContext context) {
        ContactAddressesConfig addresses = ContactAddressesConfig.of(context);
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

    private static Map<String, ModuleOption<List<String>>> declareOptions() {
        Map<String, ModuleOption<List<String>>> options = new LinkedHashMap<>();
        for (String kind : ContactAddressesConfig.KINDS) {
            options.put(kind, SECTION.option(kind, ValueType.URIS, List.of(),
                    "URIs for " + kind + " contacts (XEP-0157 field `" + kind + "-addresses`).",
                    kind.equals("admin") ? "[\"xmpp:admin@example.org\", \"mailto:admin@example.org\"]" : null));
        }
        return Collections.unmodifiableMap(options);
    }
}
