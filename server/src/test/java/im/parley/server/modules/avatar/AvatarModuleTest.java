package im.parley.server.modules.avatar;

import static im.parley.server.modules.roster.RosterScript.befriend;
import static im.parley.server.modules.roster.RosterScript.fetchRosterAndGoOnline;
import static im.parley.server.modules.roster.RosterScript.presences;
import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.ModuleCatalog;
import im.parley.server.testing.InlinePool;
import im.parley.server.testing.TestClient;
import im.parley.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avatars: XEP-0084 in PEP and XEP-0153 in the vCard, converted both ways (XEP-0398 §3), and the
 * photo hash the server puts in its users' presence (XEP-0398 §4). Romeo is Juliet's contact.
 */
class AvatarModuleTest {

    private static final String JULIET = "juliet@parley.test";
    private static final String ROMEO = "romeo@parley.test";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String DATA = "urn:xmpp:avatar:data";
    private static final String METADATA = "urn:xmpp:avatar:metadata";
    private static final String UPDATE = "vcard-temp:x:update";
    private static final byte[] IMAGE = "not really a PNG, but bytes all the same".getBytes(StandardCharsets.UTF_8);
    private static final String BASE64 = Base64.getEncoder().encodeToString(IMAGE);

    @TempDir
    Path dir;
    private TestServer server;
    private TestClient juliet;
    private TestClient romeo;
    private final InlinePool pool = new InlinePool();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(ParleyConfig.defaults().withDomains(List.of("parley.test")).withDataDir(dir),
                Clock.systemDefaultZone(), ModuleCatalog.discover(), pool);
        server.user(JULIET).user(ROMEO);
        juliet = server.login(JULIET, "balcony");
        romeo = server.login(ROMEO, "orchard");
        fetchRosterAndGoOnline(juliet);
        fetchRosterAndGoOnline(romeo);
        befriend(romeo, juliet);
        juliet.stanzas();
        romeo.stanzas();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Element iq(TestClient client, String xml) {
        send(client, xml);
        Element answer = response(client.stanzas(), "q");
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        return answer;
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static String publish(String node, String id, String payload) {
        return "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><publish node='" + node + "'><item id='" + id + "'>"
                + payload + "</item></publish></pubsub></iq>";
    }

    private Element vcard(TestClient client) {
        return iq(client, "<iq type='get' id='q' to='" + JULIET + "'><vCard xmlns='vcard-temp'/></iq>")
                .element(QName.get("vCard", "vcard-temp"));
    }

    private List<Element> items(TestClient client, String node) {
        return iq(client, "<iq type='get' id='q' to='" + JULIET + "'><pubsub xmlns='" + PUBSUB + "'><items node='" + node
                + "'/></pubsub></iq>").element(QName.get("pubsub", PUBSUB)).element(QName.get("items", PUBSUB))
                .elements(QName.get("item", PUBSUB));
    }

    private void setVcardPhoto() {
        iq(juliet, "<iq type='set' id='q'><vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN><PHOTO><TYPE>image/png</TYPE>"
                + "<BINVAL>" + BASE64 + "</BINVAL></PHOTO></vCard></iq>");
    }

    /** The photo hash in the presence Romeo gets after Juliet sends {@code presence}, or null without one. */
    private Element photoRomeoSees(String presence) {
        send(juliet, presence);
        List<Element> got = presences(romeo.stanzas());
        assertThat(got).as("Romeo gets Juliet's presence").hasSize(1);
        Element x = got.get(0).element(QName.get("x", UPDATE));
        return x == null ? null : x.element(QName.get("photo", UPDATE));
    }

    @Test
    void aPepAvatarBecomesTheVcardPhoto() throws Exception {
        iq(juliet, "<iq type='set' id='q'><vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN></vCard></iq>");
        String id = sha1(IMAGE);
        // XEP-0084 §4.1 then §4.2: the data, then the metadata that names it.
        iq(juliet, publish(DATA, id, "<data xmlns='" + DATA + "'>" + BASE64 + "</data>"));
        iq(juliet, publish(METADATA, id, "<metadata xmlns='" + METADATA + "'><info url='https://example.org/a.png' "
                + "bytes='1' id='other' type='image/png'/><info bytes='" + IMAGE.length + "' id='" + id
                + "' type='image/jpeg'/></metadata>"));

        // XEP-0398 §3.1: "store the content of the data element as a photo in the vcard"; the info without a URL.
        Element vcard = vcard(romeo);
        assertThat(vcard.elementText(QName.get("FN", "vcard-temp"))).isEqualTo("Juliet Capulet");
        Element photo = vcard.element(QName.get("PHOTO", "vcard-temp"));
        assertThat(photo.elementText(QName.get("TYPE", "vcard-temp"))).isEqualTo("image/jpeg");
        assertThat(Base64.getMimeDecoder().decode(photo.elementText(QName.get("BINVAL", "vcard-temp")))).isEqualTo(IMAGE);

        // XEP-0084 §4.5: empty metadata disables the avatar; the vCard loses its photo.
        iq(juliet, publish(METADATA, "none", "<metadata xmlns='" + METADATA + "'/>"));
        assertThat(vcard(romeo).element(QName.get("PHOTO", "vcard-temp"))).isNull();
    }

    @Test
    void aPepAvatarWhoseDataDoesNotHashToItsIdIsNotConverted() {
        iq(juliet, publish(DATA, "0000", "<data xmlns='" + DATA + "'>" + BASE64 + "</data>"));
        iq(juliet, publish(METADATA, "0000", "<metadata xmlns='" + METADATA + "'><info bytes='" + IMAGE.length
                + "' id='0000' type='image/png'/></metadata>"));

        // XEP-0398 §3.1: "Services SHOULD verify that the SHA-1 hash of the image matches the id."
        assertThat(vcard(juliet).element(QName.get("PHOTO", "vcard-temp"))).isNull();
    }

    @Test
    void aVcardPhotoIsPublishedToPep() throws Exception {
        setVcardPhoto();

        // XEP-0398 §3.2: the data item, its id the SHA-1, then one info with the vCard's type.
        String id = sha1(IMAGE);
        assertThat(items(romeo, DATA)).singleElement().satisfies(item -> {
            assertThat(item.attributeValue("id")).isEqualTo(id);
            assertThat(item.elementText(QName.get("data", DATA))).isEqualTo(BASE64);
        });
        assertThat(items(romeo, METADATA)).singleElement().satisfies(item -> {
            Element info = item.element(QName.get("metadata", METADATA)).element(QName.get("info", METADATA));
            assertThat(info.attributeValue("id")).isEqualTo(id);
            assertThat(info.attributeValue("bytes")).isEqualTo(Integer.toString(IMAGE.length));
            assertThat(info.attributeValue("type")).isEqualTo("image/png");
        });
    }

    @Test
    void availablePresenceCarriesThePhotoHash() throws Exception {
        assertThat(photoRomeoSees("<presence/>")).as("no photo, nothing added").isNull();
        setVcardPhoto();
        romeo.stanzas();

        // XEP-0398 §4: "services MUST include the hash ... in every available presence".
        assertThat(photoRomeoSees("<presence/>").getText()).isEqualTo(sha1(IMAGE));
        // "Empty x elements ... MUST be overwritten."
        assertThat(photoRomeoSees("<presence><x xmlns='" + UPDATE + "'/></presence>").getText()).isEqualTo(sha1(IMAGE));
        // An empty photo element is left alone (the client says it has none to show).
        assertThat(photoRomeoSees("<presence><x xmlns='" + UPDATE + "'><photo/></x></presence>").getText()).isEmpty();
        // "The hash MUST also be injected into directed presences".
        server.user("nurse@parley.test");
        TestClient nurse = server.login("nurse@parley.test", "kitchen");
        send(juliet, "<presence to='nurse@parley.test/kitchen'/>");
        assertThat(presences(nurse.stanzas())).anySatisfy(p -> assertThat(p.asXML()).contains(sha1(IMAGE)));
    }

    @Test
    void presenceGoesOnWithoutTheHashWhenThePhotoCannotBeReadNow() throws Exception {
        setVcardPhoto();
        romeo.stanzas();
        // The pool refuses the photo's read, the first task of a presence's routing.
        pool.refuseNext(1);

        // The stamp is a nicety: the presence itself is never held back or lost (RFC 6121 §4.4.2).
        assertThat(photoRomeoSees("<presence><show>away</show></presence>")).isNull();

        assertThat(photoRomeoSees("<presence/>").getText()).isEqualTo(sha1(IMAGE));
    }

    @Test
    void theConversionIsAnnounced() {
        // XEP-0398 §2: on the account; Parley shows it on the server too.
        assertThat(iq(juliet, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
                .asXML()).contains(AvatarModule.CONVERSION);
        assertThat(iq(juliet, "<iq type='get' id='q' to='parley.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
                .asXML()).contains(AvatarModule.CONVERSION);
    }
}
