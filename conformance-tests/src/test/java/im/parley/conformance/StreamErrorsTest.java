package im.parley.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.raw.RawXmppClient;
import im.parley.core.net.ByteRate;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stream errors for bad input (RFC 6120 §4.9.3), provoked with a raw socket: each test asserts
 * the exact condition element and that the server then closes the stream and the connection
 * (§4.9.1.1: "the entity that detects the error ... MUST close the stream").
 */
class StreamErrorsTest {

    /** Without the client read rate: one test sends 456 KB at once, which 10 kB/s would take 40 s to read. */
    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension(limits -> limits.withInput(
            limits.input().withC2sRead(ByteRate.UNLIMITED)));

    /** RFC 6120 §4.9.3.13: "the initiating entity has sent XML that violates the well-formedness rules". */
    @Test
    @DisplayName("RFC 6120 §4.9.3.13: mismatched tags get <not-well-formed/>")
    void notWellFormed() {
        RawXmppClient client = negotiatingClient();

        client.send("<message><body>never closed</message>");

        assertThat(client.streamErrorCondition()).isEqualTo("not-well-formed");
    }

    /** RFC 6120 §11.1: "An XMPP entity MUST NOT accept ... XML comments"; §4.9.3.18 restricted-xml. */
    @Test
    @DisplayName("RFC 6120 §11.1, §4.9.3.18: a comment gets <restricted-xml/>")
    void comment() {
        RawXmppClient client = negotiatingClient();

        client.send("<!-- a comment is restricted XML -->");

        assertThat(client.streamErrorCondition()).isEqualTo("restricted-xml");
    }

    /** RFC 6120 §11.1: no processing instructions on the stream (other than the XML declaration). */
    @Test
    @DisplayName("RFC 6120 §11.1, §4.9.3.18: a processing instruction gets <restricted-xml/>")
    void processingInstruction() {
        RawXmppClient client = negotiatingClient();

        client.send("<?parley do-something?>");

        assertThat(client.streamErrorCondition()).isEqualTo("restricted-xml");
    }

    /** RFC 6120 §11.1: no internal or external DTD subset. */
    @Test
    @DisplayName("RFC 6120 §11.1, §4.9.3.18: a DTD before the stream header gets <restricted-xml/>")
    void documentTypeDeclaration() {
        try (RawXmppClient client = parley.raw()) {
            client.send("<?xml version='1.0'?><!DOCTYPE stream:stream SYSTEM 'stream.dtd'>");

            assertThat(client.streamErrorCondition()).isEqualTo("restricted-xml");
        }
    }

    /** RFC 6120 §11.1: no internal or external entity declarations (the "billion laughs" vector). */
    @Test
    @DisplayName("RFC 6120 §11.1, §4.9.3.18: an entity declaration gets <restricted-xml/>")
    void entityDeclaration() {
        try (RawXmppClient client = parley.raw()) {
            client.send("<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY lol 'lol'>]>");

            assertThat(client.streamErrorCondition()).isEqualTo("restricted-xml");
        }
    }

    /** RFC 6120 §11.1: "internal or external entity references with the exception of the predefined entities". */
    @Test
    @DisplayName("RFC 6120 §11.1, §4.9.3.18: a reference to an undeclared entity gets <restricted-xml/>")
    void entityReference() {
        RawXmppClient client = negotiatingClient();

        client.send("<message to='juliet@parley.test'><body>&lol;</body></message>");

        assertThat(client.streamErrorCondition()).isEqualTo("restricted-xml");
    }

    /**
     * RFC 6120 §13.12 (4): the server may limit stanza size before authentication; exceeding a
     * local policy is <policy-violation/> (§4.9.3.14). Parley's limit is 8 KiB before
     * authentication.
     */
    @Test
    @DisplayName("RFC 6120 §13.12, §4.9.3.14: a stanza over 8 KiB before authentication gets <policy-violation/>")
    void oversizedBeforeAuthentication() {
        RawXmppClient client = negotiatingClient();

        client.send("<iq type='get' id='big'><query xmlns='urn:parley:big'>" + "a".repeat(9 * 1024) + "</query></iq>");

        assertThat(client.streamErrorCondition()).isEqualTo("policy-violation");
    }

    /** Same as above after authentication, where the limit is 256 KiB: just under passes, just over fails. */
    @Test
    @DisplayName("RFC 6120 §13.12, §4.9.3.14: after authentication 200 KiB pass, over 256 KiB gets <policy-violation/>")
    void oversizedAfterAuthentication() {
        RawXmppClient client = parley.raw();
        String jid = client.login(parley.newAccount("romeo").getLocalpart().toString(), ParleyServerExtension.PASSWORD,
                "big");

        client.send("<message to='" + jid + "' id='large'><body>" + "b".repeat(200 * 1024) + "</body></message>");
        Element echoed = client.nextElement(e -> "large".equals(e.attributeValue("id")));
        assertThat(echoed.elementText("body")).hasSize(200 * 1024);

        // Unclosed on purpose: the server must refuse as soon as the limit is crossed.
        client.send("<message to='" + jid + "' id='too-large'><body>" + "c".repeat(256 * 1024 + 512));

        assertThat(client.streamErrorCondition()).isEqualTo("policy-violation");
    }

    /** RFC 6120 §4.9.3.10: "the stream namespace name is something other than http://etherx.jabber.org/streams". */
    @Test
    @DisplayName("RFC 6120 §4.9.3.10: a wrong stream namespace gets <invalid-namespace/>")
    void wrongStreamNamespace() {
        try (RawXmppClient client = parley.raw()) {
            client.send("<?xml version='1.0'?><stream:stream to='parley.test' version='1.0'"
                    + " xmlns='jabber:client' xmlns:stream='urn:parley:not-the-stream-namespace'>");

            assertThat(client.streamErrorCondition()).isEqualTo("invalid-namespace");
        }
    }

    /** RFC 6120 §4.9.3.10 and §4.8.2: the content namespace of a client stream is jabber:client. */
    @Test
    @DisplayName("RFC 6120 §4.9.3.10: jabber:server on the client port gets <invalid-namespace/>")
    void wrongContentNamespace() {
        try (RawXmppClient client = parley.raw()) {
            client.send("<?xml version='1.0'?><stream:stream to='parley.test' version='1.0'"
                    + " xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>");

            assertThat(client.streamErrorCondition()).isEqualTo("invalid-namespace");
        }
    }

    /** RFC 6120 §4.9.3.6: "the value of the 'to' attribute ... does not correspond to an FQDN that is serviced". */
    @Test
    @DisplayName("RFC 6120 §4.9.3.6: a stream to a domain not served gets <host-unknown/>")
    void hostUnknown() {
        try (RawXmppClient client = parley.raw()) {
            client.send(RawXmppClient.header("elsewhere.example"));

            assertThat(client.streamErrorCondition()).isEqualTo("host-unknown");
        }
    }

    /** RFC 6120 §4.9.3.25 and §4.7.5: a major version the server does not support. */
    @Test
    @DisplayName("RFC 6120 §4.9.3.25: version 2.0 gets <unsupported-version/>")
    void unsupportedVersion() {
        try (RawXmppClient client = parley.raw()) {
            client.send("<?xml version='1.0'?><stream:stream to='parley.test' version='2.0'"
                    + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");

            assertThat(client.streamErrorCondition()).isEqualTo("unsupported-version");
        }
    }

    /** RFC 6120 §4.9.3.12: "the entity has attempted to send XML stanzas ... before the stream has been authenticated". */
    @Test
    @DisplayName("RFC 6120 §4.9.3.12: a stanza before authentication gets <not-authorized/>")
    void stanzaBeforeAuthentication() {
        RawXmppClient client = negotiatingClient();

        client.send("<message to='juliet@parley.test'><body>too early</body></message>");

        assertThat(client.streamErrorCondition()).isEqualTo("not-authorized");
    }

    /** RFC 6120 §4.9.3.9 and §8.1.2.1: a 'from' that is not the stream's JID gets <invalid-from/>. */
    @Test
    @DisplayName("RFC 6120 §4.9.3.9: a forged 'from' gets <invalid-from/>")
    void forgedFrom() {
        RawXmppClient client = parley.raw();
        client.login(parley.newAccount("mallory").getLocalpart().toString(), ParleyServerExtension.PASSWORD, "forge");

        client.send("<message from='juliet@parley.test/balcony' to='romeo@parley.test'><body>it is I</body></message>");

        assertThat(client.streamErrorCondition()).isEqualTo("invalid-from");
    }

    /** A client with an open stream on the STARTTLS port that has read the stream features. */
    private static RawXmppClient negotiatingClient() {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        return client;
    }
}
