package im.parley.bench.soak;

import im.parley.bench.client.ClientOptions;
import im.parley.bench.client.ErrorCondition;
import im.parley.bench.client.XmppClient;
import java.util.Random;
import org.dom4j.Element;

/**
 * What the logged-in sessions of a soak send, at fixed rates: chat messages to online users and,
 * for a share of them, to users who are not logged in (offline storage, XEP-0160); status
 * changes (RFC 6121 §4.4.2, broadcast to the contacts); and in turn a roster get (§2.1.3), a
 * roster set renaming a contact (§2.3), a vCard set of one's own (XEP-0054 §3.2) and a vCard get
 * of any user's (§3.3). Every IQ must be answered with a result, except a vCard get of a user
 * who never set one, which is {@code item-not-found} (§3.3).
 */
final class UserTraffic {
    private static final String BODY = "soak ".repeat(16);
    private static final String DESCRIPTION = "x".repeat(200);
    private static final String ROSTER = "jabber:iq:roster";
    private static final String VCARD = "vcard-temp";

    private final UserLoad load;
    private final ClientOptions options;
    private final SoakCounters counters;
    private final MixedLoad sessions;
    private final Random random = new Random();
    private final Rate chat;
    private final Rate presence;
    private final Rate iqs;
    private long sequence;

    UserTraffic(UserLoad load, ClientOptions options, SoakCounters counters, MixedLoad sessions, long startNanos) {
        this.load = load;
        this.options = options;
        this.counters = counters;
        this.sessions = sessions;
        this.chat = new Rate(load.chatRate(), startNanos);
        this.presence = new Rate(load.presenceRate(), startNanos);
        this.iqs = new Rate(load.iqRate(), startNanos);
    }

    /** Sends what fell due since the last tick; called on the driver thread. */
    void tick(long now) {
        for (int n = chat.due(now); n > 0; n--) {
            sendChat();
        }
        for (int n = presence.due(now); n > 0; n--) {
            XmppClient client = sessions.randomReady();
            if (client != null) {
                client.send("<presence><show>" + (random.nextBoolean() ? "away" : "chat")
                        + "</show><status>soak " + (++sequence) + "</status></presence>");
                counters.presencesSent.increment();
            }
        }
        for (int n = iqs.due(now); n > 0; n--) {
            sendIq();
        }
    }

    private void sendChat() {
        XmppClient from = sessions.randomReady();
        if (from == null) {
            return;
        }
        int to = random.nextDouble() < load.offlineShare() ? sessions.randomOffline() : 0;
        if (to == 0) {
            XmppClient recipient = sessions.randomReady();
            to = recipient == null ? from.user() : recipient.user();
        }
        from.sendChat(options.bareJid(to), BODY);
        counters.messagesSent.increment();
    }

    private void sendIq() {
        XmppClient client = sessions.randomReady();
        if (client == null) {
            return;
        }
        long n = ++sequence;
        int user = client.user();
        String iq = switch ((int) (n % 4)) {
            case 0 -> "<iq type='get' id='rg-" + n + "'><query xmlns='" + ROSTER + "'/></iq>";
            case 1 -> "<iq type='set' id='rs-" + n + "'><query xmlns='" + ROSTER + "'><item jid='"
                    + options.bareJid(neighbour(user)) + "' name='contact " + n + "'/></query></iq>";
            case 2 -> "<iq type='set' id='vs-" + n + "'><vCard xmlns='" + VCARD + "'><FN>" + options.username(user)
                    + "</FN><NICKNAME>nick " + n + "</NICKNAME><DESC>" + DESCRIPTION + "</DESC></vCard></iq>";
            default -> "<iq type='get' id='vg-" + n + "' to='" + options.bareJid(1 + random.nextInt(load.users()))
                    + "'><vCard xmlns='" + VCARD + "'/></iq>";
        };
        client.send(iq);
        counters.iqsSent.increment();
    }

    /** A contact of {@code user} when rosters were built (i±1), and a fixed one otherwise. */
    private int neighbour(int user) {
        return user % load.users() + 1;
    }

    /** Called on the clients' event loops. */
    void iqAnswered(Element iq) {
        counters.iqsAnswered.increment();
        if (!"error".equals(iq.attributeValue("type"))) {
            return;
        }
        String id = iq.attributeValue("id", "");
        String condition = ErrorCondition.nameOf(iq.element("error"));
        if (!(id.startsWith("vg-") && "item-not-found".equals(condition))) {
            counters.error("iq " + id.substring(0, Math.max(0, id.indexOf('-'))) + " error " + condition);
        }
    }

    /** Called on the clients' event loops: no message to an existing user should bounce. */
    void messageError(Element message) {
        counters.error("message error " + ErrorCondition.nameOf(message.element("error")));
    }
}
