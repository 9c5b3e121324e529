package im.parley.server.modules.offline;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.Jid;

/** Delayed Delivery (XEP-0203 §3): where and when a stanza was held back. */
public final class DelayStamp {

    public static final String NAMESPACE = "urn:xmpp:delay";

    private DelayStamp() {
    }

    /**
     * Adds {@code <delay xmlns='urn:xmpp:delay' from='...' stamp='...'/>} to a stanza the
     * caller owns: {@code from} is who held it back (a domain for offline storage, a room for
     * its history). The stamp is UTC in the XEP-0082 DateTime profile (millisecond precision).
     */
    public static void add(Element stanza, Jid from, Instant when) {
        Element delay = stanza.addElement(QName.get("delay", NAMESPACE));
        delay.addAttribute("from", from.toString());
        delay.addAttribute("stamp", DateTimeFormatter.ISO_INSTANT.format(when.truncatedTo(ChronoUnit.MILLIS)));
    }
}
