package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/** Resource binding (RFC 6120 §7) and the legacy session feature, on the wire. */
class ResourceBindingTest {

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    /** RFC 6120 §7.7: "the client asks the server to bind a resource of the client's choosing". */
    @Test
    @DisplayName("RFC 6120 §7.7: the client-chosen resource is bound")
    void clientChosenResource() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();

        assertThat(client.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "orchard"))
                .isEqualTo(romeo + "/orchard");
    }

    /** RFC 6120 §7.6: an empty bind asks the server to generate the resourcepart. */
    @Test
    @DisplayName("RFC 6120 §7.6: an empty <bind/> gets a server-generated resource")
    void serverGeneratedResource() {
        EntityBareJid romeo = parley.newAccount("romeo");
        String first = parley.raw().login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, null);
        String second = parley.raw().login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, null);

        assertThat(first).startsWith(romeo + "/").hasSizeGreaterThan((romeo + "/").length());
        assertThat(second).startsWith(romeo + "/").isNotEqualTo(first);
    }

    /**
     * RFC 6120 §7.7.2.2: on a conflict the server may "terminate the session of the currently
     * connected resource" with a {@code <conflict/>} stream error; Parley does (override).
     */
    @Test
    @DisplayName("RFC 6120 §7.7.2.2: binding a resource in use closes the old session with <conflict/>")
    void conflictingBindKicksOldSession() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient old = parley.raw();
        old.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "balcony");
        RawXmppClient replacement = parley.raw();

        String bound = replacement.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "balcony");

        assertThat(bound).isEqualTo(romeo + "/balcony");
        assertThat(old.streamErrorCondition()).isEqualTo("conflict");
    }

    /**
     * RFC 6120 §7.4 and draft-cridland-xmpp-session-01 §2: after SASL the features offer bind,
     * and session with {@code <optional/>} so old clients may still send it.
     */
    @Test
    @DisplayName("RFC 6120 §7.4: bind offered after SASL, legacy session marked <optional/>")
    void featuresAfterSasl() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();
        client.authenticatePlain(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD);

        Element features = client.restartStream();

        assertThat(features.element(QName.get("bind", RawXmppClient.BIND_NS))).isNotNull();
        Element session = features.element(QName.get("session", RawXmppClient.SESSION_NS));
        assertThat(session).isNotNull();
        assertThat(session.element(QName.get("optional", RawXmppClient.SESSION_NS))).isNotNull();
    }

    /** RFC 6120 §8.3.3.8 with RFC 7622 §3: a 'to' that is not a valid JID gets <jid-malformed/>; the stream lives on. */
    @Test
    @DisplayName("RFC 6120 §8.3.3.8: a malformed 'to' gets a <jid-malformed/> stanza error")
    void jidMalformed() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = parley.raw();
        client.login(romeo.getLocalpart().toString(), ParleyServerExtension.PASSWORD, "typo");

        for (String bad : new String[] {"@parley.test", "juliet@parley.test/", "jul iet@parley.test"}) {
            String id = RawXmppClient.nextId();
            client.send("<message to='" + bad + "' id='" + id + "' type='chat'><body>hi</body></message>");
            Element error = client.nextElement(e -> id.equals(e.attributeValue("id")));
            assertThat(RawXmppClient.stanzaErrorCondition(error)).as("to='%s'", bad).isEqualTo("jid-malformed");
        }
        Element pong = client.iq("<iq type='get' id='%s' to='parley.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(pong.attributeValue("type")).isEqualTo("result");
    }
}
