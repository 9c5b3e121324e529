package im.parley.conformance.disco;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.conformance.ParleyServerExtension;
import im.parley.conformance.raw.RawXmppClient;
import im.parley.conformance.raw.ScramClient;
import java.util.Set;
import java.util.TreeSet;
import org.dom4j.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;

/**
 * What Parley announces, and where each specification says to look for it. XEP-0030 §3.1: "the
 * target entity MUST either return an IQ result [...] [listing] the features it supports";
 * features of the server are asked of the domain, features a server offers an account on the
 * account's bare JID (XEP-0030 §8; XEP-0357 looks for push there). Features negotiated on the stream are
 * stream features, not disco features: resource binding and the legacy session (RFC 6120 §7,
 * RFC 3921 §3), roster versioning and pre-approval (RFC 6121 §2.6.1, §3.4), stream management
 * (XEP-0198 §2), client state indication (XEP-0352) and the server's entity capabilities
 * {@code <c/>} (XEP-0115).
 *
 * <p>The lists are exact: a module that starts (or stops) announcing something changes them,
 * and this test, together.
 */
class Xep0030AnnouncedFeaturesTest {

    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";

    /** The account is a PEP service (XEP-0163 §6.1), "including all supported XEP-0060 features" (XEP-0060 §10). */
    private static final Set<String> PEP_FEATURES = Set.of(
            PUBSUB,
            PUBSUB + "#access-open",
            PUBSUB + "#access-presence",
            PUBSUB + "#access-roster",
            PUBSUB + "#access-whitelist",
            PUBSUB + "#auto-create",
            PUBSUB + "#auto-subscribe",
            PUBSUB + "#config-node",
            PUBSUB + "#config-node-max",            // pubsub#max_items=max (XEP-0402 §3.2 publishes with it)
            PUBSUB + "#create-and-configure",
            PUBSUB + "#create-nodes",
            PUBSUB + "#delete-items",
            PUBSUB + "#delete-nodes",
            PUBSUB + "#filtered-notifications",
            PUBSUB + "#last-published",
            PUBSUB + "#manage-affiliations",
            PUBSUB + "#manage-subscriptions",       // XEP-0060 §8.8
            PUBSUB + "#meta-data",                  // §5.4: node meta-data in disco#info
            PUBSUB + "#modify-affiliations",
            PUBSUB + "#persistent-items",
            PUBSUB + "#presence-notifications",
            PUBSUB + "#publish",
            PUBSUB + "#publish-options",
            PUBSUB + "#purge-nodes",
            PUBSUB + "#retract-items",
            PUBSUB + "#retrieve-affiliations",      // §5.7
            PUBSUB + "#retrieve-default",
            PUBSUB + "#retrieve-default-sub",       // §6.4
            PUBSUB + "#retrieve-items",
            PUBSUB + "#retrieve-subscriptions",     // §5.6
            PUBSUB + "#rsm",                        // §6.5.4: items by Result Set Management (XEP-0059)
            PUBSUB + "#subscribe",                  // §6.1, XEP-0163 §5
            PUBSUB + "#subscription-options");      // §6.3

    /** Every feature of the server itself (XEP-0030 §3.1 on the domain), with the specification that names it. */
    private static final Set<String> SERVER_FEATURES = union(Set.of(
            DISCO_INFO,                                 // XEP-0030 §3.1
            "http://jabber.org/protocol/disco#items",   // XEP-0030 §4.1
            "http://jabber.org/protocol/caps",          // XEP-0115: the server publishes its own caps (<c/> in its stream features)
            "jabber:iq:roster",                         // RFC 6121 §2, roster management
            "jabber:iq:private",                        // XEP-0049
            "jabber:iq:register",                       // XEP-0077: password change and account removal
            "jabber:iq:last",                           // XEP-0012: server uptime, an account's last logout
            "jabber:iq:version",                        // XEP-0092
            "urn:xmpp:time",                            // XEP-0202
            "urn:xmpp:ping",                            // XEP-0199
            "http://jabber.org/protocol/commands",      // XEP-0050 §2.1: ad-hoc commands (XEP-0133 for admins)
            "urn:xmpp:blocking",                        // XEP-0191
            "urn:xmpp:carbons:2",                       // XEP-0280 §3: on the server
            "urn:xmpp:mam:2",                           // XEP-0313 §7 is the account's; here too, where profanity looks (as Prosody)
            "vcard-temp",                               // XEP-0054
            "msgoffline",                               // XEP-0160
            "urn:xmpp:push:0",                          // XEP-0357 (also on the account)
            "urn:xmpp:pep-vcard-conversion:0"),         // XEP-0398 (also on the account, §2)
            // The PEP features on the server too, where smack-omemo and smack-openpgp look (as Prosody shows them).
            PEP_FEATURES);

    /** Every feature announced on the account's own bare JID (XEP-0030 §8). */
    private static final Set<String> ACCOUNT_FEATURES = union(Set.of(
            DISCO_INFO,
            "http://jabber.org/protocol/disco#items",
            "urn:xmpp:push:0",                          // XEP-0357: a client looks on its own account
            "urn:xmpp:mam:2",                           // XEP-0313 §7: the archive is the account's
            "urn:xmpp:mam:2#extended",                  // XEP-0313 §7: before-id, after-id, ids, metadata
            "urn:xmpp:sid:0",                           // XEP-0359 §6: the archive's stanza ids
            "urn:xmpp:bookmarks:1#compat",              // XEP-0402 §5.3: bookmarks in private XML and PEP in step
            "urn:xmpp:bookmarks:1#compat-pep",          // XEP-0402 §5.3: and in the legacy PEP node
            "urn:xmpp:bookmarks-conversion:0",          // XEP-0411 §2: "on the account"
            "urn:xmpp:pep-vcard-conversion:0"),         // XEP-0398 §2: "on the account"
            PEP_FEATURES);

    /** The stream features after authentication (RFC 6120 §4.3.2), by namespace. */
    private static final Set<String> STREAM_FEATURES_AFTER_AUTHENTICATION = Set.of(
            "urn:ietf:params:xml:ns:xmpp-bind",         // RFC 6120 §7.4
            "urn:ietf:params:xml:ns:xmpp-session",      // RFC 3921 §3, <optional/>
            "urn:xmpp:features:rosterver",              // RFC 6121 §2.6.1
            "urn:xmpp:features:pre-approval",           // RFC 6121 §3.4
            "urn:xmpp:sm:3",                            // XEP-0198 §2
            "urn:xmpp:csi:0",                           // XEP-0352
            "urn:xmpp:stream-limits:0",                 // XEP-0478 §3
            "http://jabber.org/protocol/caps");         // XEP-0115 §6.3

    @RegisterExtension
    static final ParleyServerExtension parley = new ParleyServerExtension();

    @Test
    @DisplayName("XEP-0030 §3.1: the server announces every feature it implements, and nothing else")
    void serverFeatures() {
        RawXmppClient client = loggedIn(parley.newAccount("romeo"), null);

        Element result = client.iq("<iq type='get' id='%s' to='" + ParleyServerExtension.DOMAIN + "'>"
                + "<query xmlns='" + DISCO_INFO + "'/></iq>");

        assertThat(features(result)).isEqualTo(new TreeSet<>(SERVER_FEATURES));
    }

    @Test
    @DisplayName("XEP-0030 §4.1: the server's items are the services it runs on domains of their own")
    void serverItems() {
        RawXmppClient client = loggedIn(parley.newAccount("romeo"), null);

        Element result = client.iq("<iq type='get' id='%s' to='" + ParleyServerExtension.DOMAIN + "'>"
                + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");

        Set<String> items = new TreeSet<>();
        for (Element item : result.element("query").elements("item")) {
            items.add(item.attributeValue("jid"));
        }
        // XEP-0363 §3: "A user's server SHOULD include any known entities that provide such services";
        // XEP-0045 §6.1: the MUC service is found among the server's items; XEP-0060 §5.1 and
        // Smack's PubSubManager look there for the pubsub service.
        assertThat(items).containsExactly("conference." + ParleyServerExtension.DOMAIN,
                "pubsub." + ParleyServerExtension.DOMAIN, "upload." + ParleyServerExtension.DOMAIN);
    }

    @Test
    @DisplayName("XEP-0030 §8: the account's bare JID announces what the server offers the account")
    void accountFeatures() {
        EntityBareJid romeo = parley.newAccount("romeo");
        RawXmppClient client = loggedIn(romeo, null);

        Element result = client.iq("<iq type='get' id='%s' to='" + romeo + "'><query xmlns='" + DISCO_INFO + "'/></iq>");

        assertThat(features(result)).isEqualTo(new TreeSet<>(ACCOUNT_FEATURES));
    }

    @Test
    @DisplayName("RFC 6120 §4.3.2: what is negotiated on the stream is announced as a stream feature")
    void streamFeaturesAfterAuthentication() {
        Element[] features = new Element[1];
        loggedIn(parley.newAccount("romeo"), f -> features[0] = f);

        Set<String> namespaces = new TreeSet<>();
        for (Element feature : features[0].elements()) {
            namespaces.add(feature.getNamespaceURI());
        }
        assertThat(namespaces).isEqualTo(new TreeSet<>(STREAM_FEATURES_AFTER_AUTHENTICATION));
    }

    private static RawXmppClient loggedIn(EntityBareJid account, java.util.function.Consumer<Element> featuresAfterAuth) {
        RawXmppClient client = parley.raw();
        client.openStream();
        client.features();
        client.startTls();
        Element outcome = client.authenticate(new ScramClient(ScramClient.Hash.SHA_256,
                account.getLocalpart().toString(), ParleyServerExtension.PASSWORD));
        assertThat(outcome.getName()).isEqualTo("success");
        Element features = client.restartStream();
        if (featuresAfterAuth != null) {
            featuresAfterAuth.accept(features);
        }
        RawXmppClient.boundJid(client.bind("orchard"));
        return client;
    }

    private static Set<String> union(Set<String> some, Set<String> more) {
        Set<String> all = new TreeSet<>(some);
        all.addAll(more);
        return all;
    }

    private static Set<String> features(Element result) {
        assertThat(result.attributeValue("type")).as(result.asXML()).isEqualTo("result");
        Set<String> features = new TreeSet<>();
        for (Element feature : result.element("query").elements("feature")) {
            features.add(feature.attributeValue("var"));
        }
        return features;
    }
}
