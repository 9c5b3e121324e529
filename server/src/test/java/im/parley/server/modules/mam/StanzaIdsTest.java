package im.parley.server.modules.mam;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.core.xml.XmppElementEncoder;
import java.nio.charset.StandardCharsets;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** XEP-0359 §3: the {@code <stanza-id/>} the archive adds, as an element and as stored XML. */
class StanzaIdsTest {

    private static final EntityBareJid ARCHIVE = JidCreate.entityBareFromOrThrowUnchecked("juliet@capulet.example");

    @ParameterizedTest
    @ValueSource(strings = {
        "<message xmlns='jabber:client' from='romeo@montague.example/garden' to='juliet@capulet.example' type='chat' id='a1'>"
                + "<body>Art thou not Romeo, &amp; a Montague? \u00e9\u4e2d\ud83d\ude00</body></message>",
        "<message xmlns='jabber:client' to='juliet@capulet.example' xml:lang='en'><body>x</body>"
                + "<thread parent='p'>t</thread><active xmlns='http://jabber.org/protocol/chatstates'/>"
                + "<x xmlns:a='urn:example:a' a:b='c'><a:y>z</a:y></x></message>",
        "<cli:message xmlns:cli='jabber:client' to='juliet@capulet.example'><cli:body>prefixed</cli:body></cli:message>",
        "<message xmlns='jabber:client' to='juliet@capulet.example'>only text</message>",
        "<message xmlns='jabber:client' to='juliet@capulet.example'><body>it&apos;s</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' id='other' by='romeo@montague.example'/></message>",
    })
    void theStampedXmlMadeFromTheMessagesXmlIsTheStampedElementWritten_xep0359_3(String xml) throws Exception {
        Element message = DocumentHelper.parseText(xml).getRootElement();
        byte[] messageXml = XmppElementEncoder.toUtf8(message);

        byte[] spliced = StanzaIds.stampedUtf8(messageXml, message, "0123-id", ARCHIVE);

        byte[] written = XmppElementEncoder.toUtf8(StanzaIds.stamped(message, "0123-id", ARCHIVE));
        assertThat(spliced).isNotNull();
        assertThat(new String(spliced, StandardCharsets.UTF_8)).isEqualTo(new String(written, StandardCharsets.UTF_8))
                .contains("<stanza-id xmlns='urn:xmpp:sid:0' id='0123-id' by='juliet@capulet.example'/>");
    }

    @Test
    void anEmptyMessageHasNoClosingTagToStampBefore() throws Exception {
        Element message = DocumentHelper.parseText("<message xmlns='jabber:client' to='juliet@capulet.example'/>")
                .getRootElement();

        assertThat(StanzaIds.stampedUtf8(XmppElementEncoder.toUtf8(message), message, "id", ARCHIVE)).isNull();
    }

    @Test
    void xmlThatIsNotTheMessagesIsNotStamped() throws Exception {
        Element message = DocumentHelper.parseText("<message xmlns='jabber:client'><body>a</body></message>").getRootElement();

        assertThat(StanzaIds.stampedUtf8("<iq/>".getBytes(StandardCharsets.UTF_8), message, "id", ARCHIVE)).isNull();
    }

    @Test
    void aNonAsciiArchiveIsStampedAsTheWriterWritesIt() throws Exception {
        Element message = DocumentHelper.parseText("<message xmlns='jabber:client'><body>a</body></message>").getRootElement();
        EntityBareJid archive = JidCreate.entityBareFromOrThrowUnchecked("j\u00fcliet@\u4e2d.example");

        byte[] spliced = StanzaIds.stampedUtf8(XmppElementEncoder.toUtf8(message), message, "id-1", archive);

        assertThat(spliced).isEqualTo(XmppElementEncoder.toUtf8(StanzaIds.stamped(message, "id-1", archive)));
    }

    @Test
    void anIdTheWriterWouldEscapeIsLeftToTheWriter() throws Exception {
        Element message = DocumentHelper.parseText("<message xmlns='jabber:client'><body>a</body></message>").getRootElement();

        assertThat(StanzaIds.stampedUtf8(XmppElementEncoder.toUtf8(message), message, "a'b", ARCHIVE)).isNull();
        assertThat(StanzaIds.stampedUtf8(XmppElementEncoder.toUtf8(message), message, "a&b", ARCHIVE)).isNull();
    }
}
