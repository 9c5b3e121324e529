package im.parley.s2s.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

/** RFC 6120 §4.8.3: stanzas travel in jabber:server between servers and in jabber:client to clients. */
class ContentNamespaceTest {

    @Test
    void movesTheStanzaAndItsContentChildrenAndLeavesExtensionsAndTheOriginalAlone() throws Exception {
        Element stanza = DocumentHelper.parseText("<message xmlns='jabber:client' to='b@b.test' type='error'>"
                + "<body>hi</body><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                + "</error><x xmlns='urn:example'><y/></x></message>").getRootElement();

        Element server = ContentNamespace.toServer(stanza);

        assertThat(server.getNamespaceURI()).isEqualTo("jabber:server");
        assertThat(server.element("body").getNamespaceURI()).isEqualTo("jabber:server");
        assertThat(server.element("error").getNamespaceURI()).isEqualTo("jabber:server");
        assertThat(server.element("error").elements().get(0).getNamespaceURI())
                .isEqualTo("urn:ietf:params:xml:ns:xmpp-stanzas");
        assertThat(server.elements().get(2).getNamespaceURI()).isEqualTo("urn:example");
        assertThat(server.attributeValue("to")).isEqualTo("b@b.test");
        assertThat(stanza.getNamespaceURI()).isEqualTo("jabber:client");

        Element back = ContentNamespace.toClient(server);
        assertThat(back.getNamespaceURI()).isEqualTo("jabber:client");
        assertThat(back.element("body").getNamespaceURI()).isEqualTo("jabber:client");
    }
}
