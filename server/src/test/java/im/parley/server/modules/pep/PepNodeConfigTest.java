package im.parley.server.modules.pep;

import static im.parley.server.modules.pep.PepScript.answerCapsQueries;
import static im.parley.server.modules.pep.PepScript.capsPresence;
import static im.parley.server.modules.pep.PepScript.discoQuery;
import static im.parley.server.modules.pep.PepScript.error;
import static im.parley.server.modules.pep.PepScript.field;
import static im.parley.server.modules.pep.PepScript.iq;
import static im.parley.server.modules.pep.PepScript.notifications;
import static im.parley.server.modules.pep.PepScript.publish;
import static im.parley.server.modules.pep.PepScript.tune;
import static im.parley.server.modules.pep.PepWorld.JULIET;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.testing.InlinePool;
import im.parley.server.testing.MovableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node configuration fields clients send beyond access and items (XEP-0060 §16.4.4): the
 * ones that describe a node, the type of its notifications, whether it notifies at all and of
 * configuration changes, and the fields whose one value is what a PEP node is. Juliet owns the
 * nodes; Romeo, her contact, wants tunes.
 */
class PepNodeConfigTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = PUBSUB + "#owner";
    private static final String EVENT = PUBSUB + "#event";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DATA = "jabber:x:data";

    @TempDir
    Path dir;
    private PepWorld world;

    @BeforeEach
    void start() throws Exception {
        world = new PepWorld(dir, new MovableClock(Instant.parse("2026-01-01T12:00:00Z")), new InlinePool(), c -> c);
        Element wantsTunes = discoQuery(TUNE + "+notify");
        send(world.romeo, capsPresence(wantsTunes));
        answerCapsQueries(world.romeo, wantsTunes);
        world.quiet();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private static String configure(String fields) {
        return "<iq type='set' id='q'><pubsub xmlns='" + OWNER + "'><configure node='" + TUNE + "'>"
                + "<x xmlns='jabber:x:data' type='submit'>" + field("FORM_TYPE", PUBSUB + "#node_config") + fields
                + "</x></configure></pubsub></iq>";
    }

    private static Map<String, String> values(Element x) {
        return x.elements(QName.get("field", DATA)).stream().collect(Collectors.toMap(f -> f.attributeValue("var"),
                f -> f.elements(QName.get("value", DATA)).stream().map(Element::getText).collect(Collectors.joining(" "))));
    }

    @Test
    void publishOptionsMayNameWhatEveryPepNodeIs_xep0163_2_2_and_xep0060_7_1_5() throws Exception {
        // What the Snikket SDK sends with its OMEMO bundle.
        String options = field("pubsub#access_model", "open") + field("pubsub#publish_model", "publishers")
                + field("pubsub#persist_items", "true") + field("pubsub#max_items", "1");

        assertThat(iq(world.juliet, publish(TUNE, tune("t1", "x"), options)).attributeValue("type")).isEqualTo("result");
        assertThat(iq(world.juliet, publish(TUNE, tune("t2", "y"), options)).attributeValue("type"))
                .as("the same options are met").isEqualTo("result");
        assertThat(error(iq(world.juliet, publish("urn:example:open", tune("t1", "x"),
                field("pubsub#publish_model", "open"))))).as("one publisher per node").isEqualTo("not-acceptable");
        assertThat(error(iq(world.juliet, publish("urn:example:other", tune("t1", "x"),
                field("pubsub#body_xslt", "x"))))).as("a field Parley does not know").isEqualTo("not-acceptable");
    }

    @Test
    void titleDescriptionAndTypeAreKeptAndShownAsTheNodesMetaData_xep0060_8_2_and_5_4() throws Exception {
        iq(world.juliet, publish(TUNE, tune("t1", "x"), field("pubsub#access_model", "open")));

        Element done = iq(world.juliet, configure(field("pubsub#title", "Juliet's tunes")
                + field("pubsub#description", "What plays on the balcony") + field("pubsub#type", TUNE)));
        assertThat(done.attributeValue("type")).as(done.asXML()).isEqualTo("result");

        Element form = iq(world.juliet, "<iq type='get' id='q'><pubsub xmlns='" + OWNER + "'><configure node='" + TUNE
                + "'/></pubsub></iq>").element(QName.get("pubsub", OWNER)).element(QName.get("configure", OWNER))
                .element(QName.get("x", DATA));
        assertThat(values(form)).containsEntry("pubsub#title", "Juliet's tunes")
                .containsEntry("pubsub#description", "What plays on the balcony").containsEntry("pubsub#type", TUNE)
                .containsEntry("pubsub#publish_model", "publishers").containsEntry("pubsub#notification_type", "headline");

        Element info = iq(world.nurse, "<iq type='get' id='q' to='" + JULIET + "'><query xmlns='" + DISCO_INFO
                + "' node='" + TUNE + "'/></iq>").element(QName.get("query", DISCO_INFO));
        assertThat(info.elements("feature")).extracting(f -> f.attributeValue("var")).contains(PUBSUB);
        assertThat(values(info.element(QName.get("x", DATA)))).containsEntry("FORM_TYPE", PUBSUB + "#meta-data")
                .containsEntry("pubsub#title", "Juliet's tunes").containsEntry("pubsub#type", TUNE)
                .containsEntry("pubsub#owner", JULIET);
    }

    @Test
    void notificationsAreOfTheConfiguredTypeAndNoneWhenTheNodeSendsNone_xep0060_16_4_4() throws Exception {
        iq(world.juliet, publish(TUNE, tune("t1", "x"), field("pubsub#notification_type", "normal")));
        assertThat(notifications(world.romeo.stanzas())).singleElement()
                .satisfies(m -> assertThat(m.attributeValue("type")).isEqualTo("normal"));

        iq(world.juliet, configure(field("pubsub#deliver_notifications", "0")));
        iq(world.juliet, publish(TUNE, tune("t2", "y"), ""));

        assertThat(notifications(world.romeo.stanzas())).isEmpty();
    }

    @Test
    void aConfigurationChangeIsNotifiedWhenTheNodeSaysSo_xep0060_8_2_5_3() throws Exception {
        iq(world.juliet, publish(TUNE, tune("t1", "x"), ""));
        world.quiet();

        iq(world.juliet, configure(field("pubsub#max_items", "5")));
        assertThat(notifications(world.romeo.stanzas())).as("notify_config is off by default").isEmpty();

        iq(world.juliet, configure(field("pubsub#notify_config", "1") + field("pubsub#title", "Tunes")));

        assertThat(notifications(world.romeo.stanzas())).singleElement().satisfies(m -> {
            Element configuration = m.element(QName.get("event", EVENT)).element(QName.get("configuration", EVENT));
            assertThat(configuration.attributeValue("node")).isEqualTo(TUNE);
            assertThat(values(configuration.element(QName.get("x", DATA)))).as("payloads are delivered: the form")
                    .containsEntry("pubsub#title", "Tunes");
        });
    }
}
