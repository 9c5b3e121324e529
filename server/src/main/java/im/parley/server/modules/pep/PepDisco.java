package im.parley.server.modules.pep;

import im.parley.core.routing.Bounces;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.Verdict;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.disco.DiscoModule;
import im.parley.server.modules.disco.ServerInfo;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service discovery of an account's PEP nodes, answered before the disco module: disco#items
 * on the bare JID lists the nodes the requester may see (XEP-0163 §6.2; the owner also gets its
 * available resources, as the disco module lists them), disco#info on a node is a leaf node's
 * identity (XEP-0060 §5.3) and disco#items on a node its item ids (§5.5). Nodes the requester
 * may not see are left to the disco module, which does not tell them from nodes that do not exist.
 */
final class PepDisco {

    private static final Logger LOG = LoggerFactory.getLogger(PepDisco.class);

    private final ModuleContext context;
    private final PepService service;

    PepDisco(ModuleContext context, PepService service) {
        this.context = context;
        this.service = service;
    }

    Verdict info(StanzaEvent event) {
        Stanza iq = event.stanza();
        String node = iq.element().elements().get(0).attributeValue("node");
        if (node == null || owner(iq) == null) {
            return Verdict.PASS;
        }
        return answer(event, () -> {
            EntityBareJid owner = owner(iq);
            NodeConfig config = service.readable(owner, iq.from().asBareJid(), node);
            Element query = query(iq, ServerInfo.DISCO_INFO, node);
            query.addElement(QName.get("identity", ServerInfo.DISCO_INFO)).addAttribute("category", "pubsub")
                    .addAttribute("type", "leaf");
            query.addElement(QName.get("feature", ServerInfo.DISCO_INFO)).addAttribute("var", Pubsub.NS);
            query.add(metaData(owner, config));
            return query;
        });
    }

    Verdict items(StanzaEvent event) {
        Stanza iq = event.stanza();
        EntityBareJid owner = owner(iq);
        if (owner == null) {
            return Verdict.PASS;
        }
        String node = iq.element().elements().get(0).attributeValue("node");
        BareJid requester = iq.from().asBareJid();
        return answer(event, () -> {
            Element query = query(iq, ServerInfo.DISCO_ITEMS, node);
            if (node != null) {
                List<PepItem> items = service.retrieve(owner, requester, node, -1, Set.of());
                items.forEach(item -> query.addElement(QName.get("item", ServerInfo.DISCO_ITEMS))
                        .addAttribute("jid", owner.toString()).addAttribute("name", item.id()));
                return query;
            }
            for (Map.Entry<String, NodeConfig> visible : service.visibleNodes(owner, requester).entrySet()) {
                query.addElement(QName.get("item", ServerInfo.DISCO_ITEMS)).addAttribute("jid", owner.toString())
                        .addAttribute("node", visible.getKey());
            }
            if (owner.equals(requester)) {
                DiscoModule.addAvailableResources(context.sessions(), owner, query);
            }
            return query;
        });
    }

    /**
     * XEP-0060 §5.4: the node's meta-data, a {@code pubsub#meta-data} form (§16.4.3) with what
     * its configuration describes; the owner is its one owner and publisher (XEP-0163 §2.2).
     */
    private static Element metaData(EntityBareJid owner, NodeConfig config) {
        Element x = DocumentHelper.createElement(QName.get("x", Pubsub.DATA)).addAttribute("type", "result");
        metaField(x, "FORM_TYPE", "hidden", Pubsub.NS + "#meta-data");
        metaField(x, "pubsub#owner", "jid-multi", owner.toString());
        metaField(x, "pubsub#publisher", "jid-multi", owner.toString());
        metaField(x, NodeConfig.TITLE, "text-single", config.title());
        metaField(x, NodeConfig.DESCRIPTION, "text-single", config.description());
        metaField(x, NodeConfig.TYPE, "text-single", config.payloadType());
        metaField(x, NodeConfig.ACCESS_MODEL, "list-single", config.accessModel().value());
        return x;
    }

    private static void metaField(Element x, String var, String type, String value) {
        x.addElement(QName.get("field", Pubsub.DATA)).addAttribute("var", var).addAttribute("type", type)
                .addElement(QName.get("value", Pubsub.DATA)).setText(value);
    }

    /** A source of an answer's {@code <query/>}; a refusal passes the request on to the disco module. */
    private interface Answer {
        Element query() throws Refusal;
    }

    /**
     * Looks the answer up off the event loop, then answers, or passes the event on. Whatever
     * happens the request is answered (RFC 6120 §8.2.3): a lookup the blocking pool refuses (its
     * queue full, or the server stopping) is {@code resource-constraint} (§8.3.3.18, "wait"), a
     * failed one {@code internal-server-error}. The event resumes inside the deferred piece, so
     * it goes on within the stanza's turn.
     */
    private Verdict answer(StanzaEvent event, Answer answer) {
        Stanza iq = event.stanza();
        return Verdict.suspend(continuation -> event.work().defer(() -> lookUp(answer).handle((query, failure) -> {
            if (failure != null) {
                if (!PoolWork.refused(failure)) {
                    LOG.warn("cannot look up the PEP nodes of {}", owner(iq), failure);
                }
                Bounces.reply(iq, PoolWork.errorFor(failure, StanzaErrorCondition.INTERNAL_SERVER_ERROR))
                        .ifPresent(reply -> context.send(reply, event.handling()));
                continuation.resume(Verdict.HANDLED);
            } else if (query == null) {
                continuation.resume(Verdict.PASS);
            } else {
                Element result = Stanzas.iqResult(iq.element());
                result.add(query);
                context.send(new Stanza(result, owner(iq), iq.from()), event.handling());
                continuation.resume(Verdict.HANDLED);
            }
            return null;
        })));
    }

    /** The answer's query from the blocking pool; null for a refusal; never throws. */
    private CompletableFuture<Element> lookUp(Answer answer) {
        return PoolWork.supply(() -> {
            try {
                return answer.query();
            } catch (Refusal refusal) {
                return null;
            }
        }, context.blocking());
    }

    private static Element query(Stanza iq, String namespace, String node) {
        Element query = DocumentHelper.createElement(QName.get("query", namespace));
        if (node != null) {
            query.addAttribute("node", node);
        }
        return query;
    }

    /** The account asked: {@code to}, or the sender's own without {@code to}; null for a non-account sender. */
    private static EntityBareJid owner(Stanza iq) {
        if (iq.from() == null || !"get".equals(iq.type())) {
            return null;
        }
        return iq.to() == null ? iq.from().asEntityBareJidIfPossible() : iq.to().asEntityBareJidIfPossible();
    }
}
