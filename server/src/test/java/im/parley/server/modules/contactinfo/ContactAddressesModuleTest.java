package im.parley.server.modules.contactinfo;

import static im.parley.server.modules.XmppScript.iq;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contact Addresses for XMPP Services (XEP-0157) in the server's disco#info (XEP-0128). */
class ContactAddressesModuleTest {

    @TempDir
    Path dir;

    @Test
    void configuredAddressesAppearAsAServerInfoForm() throws Exception {
        ContactAddressesConfig addresses = ContactAddressesConfig.defaults()
                .with("admin", List.of("xmpp:admin@parley.test", "mailto:admin@parley.test"))
                .with("abuse", List.of("mailto:abuse@parley.test"));
        try (TestServer server = new TestServer(config(addresses))) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            Element query = iq(romeo, "<iq type='get' id='d1' to='parley.test'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");

            // XEP-0157 §2: a result form with FORM_TYPE http://jabber.org/network/serverinfo.
            Element form = query.element(QName.get("x", "jabber:x:data"));
            assertThat(form).isNotNull();
            assertThat(form.attributeValue("type")).isEqualTo("result");
            assertThat(values(form, "FORM_TYPE")).containsExactly("http://jabber.org/network/serverinfo");
            assertThat(values(form, "admin-addresses")).containsExactly("xmpp:admin@parley.test",
                    "mailto:admin@parley.test");
            assertThat(values(form, "abuse-addresses")).containsExactly("mailto:abuse@parley.test");
            assertThat(values(form, "support-addresses")).isEmpty();
        }
    }

    @Test
    void noAddressesNoForm() throws Exception {
        try (TestServer server = new TestServer(config(ContactAddressesConfig.defaults()))) {
            TestClient romeo = server.user("romeo@parley.test").login("romeo@parley.test", "orchard");

            Element query = iq(romeo, "<iq type='get' id='d2' to='parley.test'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>").element("query");

            assertThat(query.elements(QName.get("x", "jabber:x:data"))).isEmpty();
        }
    }

    private ParleyConfig config(ContactAddressesConfig addresses) {
        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir);
        for (String kind : ContactAddressesConfig.KINDS) {
            config = config.with(ContactAddressesModule.BY_KIND.get(kind), addresses.of(kind));
        }
        return config;
    }

    private static List<String> values(Element form, String var) {
        return form.elements(QName.get("field", "jabber:x:data")).stream()
                .filter(f -> var.equals(f.attributeValue("var")))
                .flatMap(f -> f.elements(QName.get("value", "jabber:x:data")).stream())
                .map(Element::getText).toList();
    }
}
