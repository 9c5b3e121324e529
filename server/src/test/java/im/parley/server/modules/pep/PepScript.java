package im.parley.server.modules.pep;

import static im.parley.server.modules.roster.RosterScript.response;
import static im.parley.server.modules.roster.RosterScript.send;
import static org.assertj.core.api.Assertions.assertThat;

import im.parley.server.modules.caps.CapsVerification;
import im.parley.server.testing.TestClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;

/** What a client does in PEP tests: caps that ask for notifications (XEP-0115, XEP-0163 §4.1), and the notifications. */
public final class PepScript {

    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String EVENT = "http://jabber.org/protocol/pubsub#event";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String ERRORS = PUBSUB + "#errors";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private static final String RSM = "http://jabber.org/protocol/rsm";

    private PepScript() {
    }

    /** A disco#info {@code <query/>} with these features, its XEP-0115 ver, and presence announcing it. */
    public static Element discoQuery(String... features) {
        try {
            StringBuilder xml = new StringBuilder("<query xmlns='" + DISCO_INFO + "'><identity category='client' type='pc'/>");
            Arrays.stream(features).forEach(f -> xml.append("<feature var='").append(f).append("'/>"));
            return DocumentHelper.parseText(xml.append("</query>").toString()).getRootElement();
        } catch (DocumentException e) {
            throw new AssertionError(e);
        }
    }

    public static String capsPresence(Element query) {
        return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://client.test' ver='"
                + CapsVerification.ver(query) + "'/></presence>";
    }

    /**
     * The client answers the server's disco#info queries about its caps (XEP-0115 §6.2) with
     * {@code query}; returns the other stanzas it received.
     */
    public static List<Element> answerCapsQueries(TestClient client, Element query) {
        return answerCapsQueries(client, client.stanzas(), query);
    }

    /** Answers the caps queries among {@code stanzas}, which {@code client} received. */
    public static List<Element> answerCapsQueries(TestClient client, List<Element> stanzas, Element query) {
        List<Element> others = new ArrayList<>();
        for (Element stanza : stanzas) {
            Element asked = stanza.element(QName.get("query", DISCO_INFO));
            if ("iq".equals(stanza.getName()) && "get".equals(stanza.attributeValue("type")) && asked != null) {
                Element answer = query.createCopy();
                answer.addAttribute("node", asked.attributeValue("node"));
                send(client, "<iq type='result' id='" + stanza.attributeValue("id") + "' to='"
                        + stanza.attributeValue("from") + "'>" + answer.asXML() + "</iq>");
            } else {
                others.add(stanza);
            }
        }
        return others;
    }

    public static List<Element> notifications(List<Element> stanzas) {
        return stanzas.stream().filter(s -> "message".equals(s.getName()) && s.element(QName.get("event", EVENT)) != null)
                .toList();
    }

    /** Sends an IQ and returns the answer with its id, leaving the rest unread-and-dropped. */
    public static Element iq(TestClient client, String xml) {
        send(client, xml);
        return response(client.stanzas(), "q");
    }

    public static String publish(String node, String item, String options) {
        return "<iq type='set' id='q'><pubsub xmlns='" + PUBSUB + "'><publish node='" + node + "'>" + item + "</publish>"
                + (options.isEmpty() ? "" : "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                + field("FORM_TYPE", PUBSUB + "#publish-options") + options + "</x></publish-options>")
                + "</pubsub></iq>";
    }

    public static String tune(String id, String title) {
        return "<item" + (id == null ? "" : " id='" + id + "'") + "><tune xmlns='" + TUNE + "'><title>" + title
                + "</title></tune></item>";
    }

    public static String field(String var, String... values) {
        StringBuilder field = new StringBuilder("<field var='" + var + "'>");
        Arrays.stream(values).forEach(v -> field.append("<value>").append(v).append("</value>"));
        return field.append("</field>").toString();
    }

    /** The stanza error condition and the pubsub-specific condition, e.g. "conflict precondition-not-met". */
    public static String error(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("error");
        Element error = answer.element("error");
        String condition = error.elements().get(0).getName();
        Element specific = error.elements().stream().filter(e -> ERRORS.equals(e.getNamespaceURI())).findFirst().orElse(null);
        return specific == null ? condition : condition + " " + specific.getName();
    }

    /**
     * The RSM {@code <set/>} of an items answer (XEP-0060 §6.5.4) in short: "first@index last
     * count", or the count alone for an empty page (XEP-0059 §2.2, §2.7).
     */
    public static String resultSet(Element answer) {
        assertThat(answer.attributeValue("type")).as(answer.asXML()).isEqualTo("result");
        Element set = answer.element(QName.get("pubsub", PUBSUB)).element(QName.get("set", RSM));
        Element first = set.element(QName.get("first", RSM));
        String count = set.elementText(QName.get("count", RSM));
        return first == null ? count : first.getText() + "@" + first.attributeValue("index") + " "
                + set.elementText(QName.get("last", RSM)) + " " + count;
    }
}
