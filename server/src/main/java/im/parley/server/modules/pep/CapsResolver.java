package im.parley.server.modules.pep;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.Namespaces;
import im.parley.server.modules.caps.CapsVerification;
import im.parley.server.modules.disco.ServerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;

/**
 * Learns what an entity capabilities {@code <c/>} (XEP-0115 §4) means: from the cache, or by
 * asking the entity itself with disco#info on node#ver (§6.2), from the account whose service
 * it is interested in (as XEP-0163 §1.2 shows). An answer whose hash matches the ver (§5.4) is
 * cached for everyone; any other answer (a wrong hash, or a legacy {@code <c/>} without
 * {@code hash}) counts for the entity that gave it only. Queries in flight are bounded; one
 * query per node#ver is enough for every resource that announced it meanwhile.
 */
final class CapsResolver {

    /** A {@code <c/>} of a presence (XEP-0115 §4). */
    record Caps(String node, String ver, String hash) {

        static Caps of(Element presence) {
            Element c = presence.element(QName.get("c", CapsVerification.NAMESPACE));
            if (c == null || c.attributeValue("node") == null || c.attributeValue("ver") == null) {
                return null;
            }
            return new Caps(c.attributeValue("node"), c.attributeValue("ver"), c.attributeValue("hash"));
        }

        String nodeVer() {
            return node + "#" + ver;
        }

        boolean verifiable() {
            return CapsVerification.HASH.equals(hash);
        }
    }

    /** An entity whose caps are being learnt, for the account it sent presence to. */
    private record Waiter(EntityBareJid account, Jid entity, Consumer<Set<String>> then) {
    }

    private record Query(String key, Jid entity, Caps caps, List<Waiter> waiters, Instant sent) {
    }

    /**
     * How long a query may stay unanswered before the next entity with the same caps is asked
     * instead: a client that never answers must not keep the ver unknown for everyone.
     */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final CapsCache cache;
    private final Clock clock;
    private final Consumer<Stanza> send;
    private final Map<String, Query> byId;
    private final Map<String, Query> byKey = new HashMap<>();

    CapsResolver(CapsCache cache, int maxQueries, Clock clock, Consumer<Stanza> send) {
        this.cache = cache;
        this.clock = clock;
        this.send = send;
        this.byId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Query> eldest) {
                if (size() > maxQueries) {
                    byKey.remove(eldest.getValue().key());
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Calls {@code then} with the features {@code caps} stands for, now if the cache knows them,
     * else once {@code entity} answered (never if it does not).
     */
    void resolve(EntityBareJid account, Jid entity, Caps caps, Consumer<Set<String>> then) {
        if (caps.verifiable()) {
            Set<String> known = cache.get(caps.nodeVer());
            if (known != null) {
                then.accept(known);
                return;
            }
        }
        String key = caps.verifiable() ? caps.nodeVer() : entity + " " + caps.nodeVer();
        Waiter waiter = new Waiter(account, entity, then);
        String id;
        synchronized (this) {
            List<Waiter> waiters = new ArrayList<>();
            Query pending = byKey.get(key);
            if (pending != null) {
                if (clock.instant().isBefore(pending.sent().plus(PATIENCE))) {
                    pending.waiters().add(waiter);
                    return;
                }
                // Unanswered for too long: ask this entity instead, for everyone still waiting.
                byId.values().remove(pending);
                waiters.addAll(pending.waiters());
            }
            waiters.add(waiter);
            id = register(key, caps, waiter, waiters);
        }
        ask(id, caps, waiter);
    }

    /** Records a query to {@code asked}'s entity for {@code waiters}; returns its id. Under the lock. */
    private String register(String key, Caps caps, Waiter asked, List<Waiter> waiters) {
        String id = "caps-" + UUID.randomUUID();
        Query query = new Query(key, asked.entity(), caps, waiters, clock.instant());
        byKey.put(key, query);
        byId.put(id, query);
        return id;
    }

    /** XEP-0115 §6.2: disco#info on node#ver, from the account the entity sent presence to. */
    private void ask(String id, Caps caps, Waiter asked) {
        Element iq = DocumentHelper.createElement(QName.get("iq", Namespaces.CLIENT)).addAttribute("type", "get")
                .addAttribute("id", id).addAttribute("from", asked.account().toString())
                .addAttribute("to", asked.entity().toString());
        iq.addElement(QName.get("query", ServerInfo.DISCO_INFO)).addAttribute("node", caps.nodeVer());
        send.accept(new Stanza(iq, asked.account(), asked.entity()));
    }

    /** Takes the answer to one of our queries (true), or leaves the IQ to others (false). */
    boolean onResponse(Stanza iq) {
        String id = iq.element().attributeValue("id");
        if (id == null || !id.startsWith("caps-")) {
            return false;
        }
        Query query;
        synchronized (this) {
            query = byId.get(id);
            if (query == null || !query.entity().equals(iq.from())) {
                return false;
            }
            byId.remove(id);
            byKey.remove(query.key());
        }
        Element result = "result".equals(iq.type()) ? iq.element().element(QName.get("query", ServerInfo.DISCO_INFO)) : null;
        boolean verified = false;
        if (result != null) {
            Set<String> features = new HashSet<>();
            result.elements(QName.get("feature", ServerInfo.DISCO_INFO)).forEach(f -> features.add(f.attributeValue("var", "")));
            verified = query.caps().verifiable() && query.caps().ver().equals(CapsVerification.ver(result));
            if (verified) {
                cache.put(query.caps().nodeVer(), features);
            }
            for (Waiter waiter : query.waiters()) {
                if (verified || waiter.entity().equals(query.entity())) {
                    waiter.then().accept(Set.copyOf(features));
                }
            }
        }
        if (!verified) {
            askAnother(query);
        }
        return true;
    }

    /**
     * An error, or an answer that does not hash to the ver, tells the others who announced the
     * same caps nothing: one of them is asked in turn.
     */
    private void askAnother(Query query) {
        List<Waiter> others = new ArrayList<>(query.waiters());
        others.removeIf(waiter -> waiter.entity().equals(query.entity()));
        if (others.isEmpty()) {
            return;
        }
        Waiter next = others.get(0);
        String id;
        synchronized (this) {
            if (byKey.containsKey(query.key())) {
                byKey.get(query.key()).waiters().addAll(others);
                return;
            }
            id = register(query.key(), query.caps(), next, others);
        }
        ask(id, query.caps(), next);
    }
}
