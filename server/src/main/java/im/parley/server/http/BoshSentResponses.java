package im.parley.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.dom4j.Element;

/**
 * The responses of a BOSH session the client has not yet acknowledged (XEP-0124 §9), kept to
 * be sent again for a repeated {@code rid} (§14.3) and, if the session ends inactive, to
 * route again the stanzas they carried.
 */
final class BoshSentResponses {

    private record Sent(String xml, List<Element> stanzas) {
    }

    private final int requests;
    private final boolean clientAcks;
    private final LinkedHashMap<Long, Sent> sent = new LinkedHashMap<>();
    private long acknowledged;

    /**
     * @param firstRid the rid of the session creation request
     * @param requests the granted number of simultaneous requests (§11)
     * @param clientAcks whether the client asked to acknowledge responses with 'ack' (§9.1)
     */
    BoshSentResponses(long firstRid, int requests, boolean clientAcks) {
        this.requests = requests;
        this.clientAcks = clientAcks;
        this.acknowledged = firstRid - 1;
    }

    /** Keeps the response sent for a request, with the stanzas it carries. */
    void record(long rid, String xml, List<Element> stanzas) {
        sent.put(rid, new Sent(xml, stanzas));
    }

    /** §14.3: the response already sent for a repeated rid, if not yet acknowledged. */
    Optional<String> response(long rid) {
        return Optional.ofNullable(sent.get(rid)).map(Sent::xml);
    }

    /**
     * §9.1: without an 'ack', a new rid proves every response up to rid - requests arrived;
     * with acknowledgements on, the client's 'ack' may prove more.
     */
    void acknowledge(long rid, OptionalLong clientAck) {
        long ack = rid - requests;
        if (clientAcks && clientAck.isPresent()) {
            ack = Math.max(ack, clientAck.getAsLong());
        }
        acknowledged = Math.max(acknowledged, ack);
        sent.keySet().removeIf(sentRid -> sentRid <= acknowledged);
    }

    /** The stanzas of every response not acknowledged, oldest first. */
    List<Element> unacknowledgedStanzas() {
        List<Element> stanzas = new ArrayList<>();
        sent.values().forEach(s -> stanzas.addAll(s.stanzas()));
        return stanzas;
    }

    void clear() {
        sent.clear();
    }
}
