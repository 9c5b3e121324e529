package im.parley.server.modules.pep;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.IqHandler;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.pep.JdbcPepSubscriptions.Subscription;
import im.parley.server.modules.pep.Pubsub.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pubsub requests to an account's bare JID (XEP-0163 §1.2: the account is the service),
 * from its own resources or anyone else, local or remote: publishing (XEP-0060 §7.1, §7.2) and
 * the owner's use cases (§8) for the owner only ({@code forbidden} otherwise, §7.1.3.1),
 * item retrieval (§6.5), subscribing and unsubscribing (§6.1, §6.2) for whoever the node's access
 * model admits, one's own subscriptions and affiliations (§5.6, §5.7). What Parley does not
 * implement is {@code feature-not-implemented} naming the feature (§4.4).
 *
 * <p>A request is handled in the owner's turn. What must follow its answer (the last item for a
 * new subscriber, §6.1.7) is sent after the answer, which the handler then routes itself.
 */
final class PepRequests implements IqHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PepRequests.class);

    private final PepService service;
    private final PepSubscriptions subscriptions;
    private final Executor blocking;
    private final Consumer<Stanza> send;

    PepRequests(PepService service, PepSubscriptions subscriptions, Executor blocking, Consumer<Stanza> send) {
        this.service = service;
        this.subscriptions = subscriptions;
        this.blocking = blocking;
        this.send = send;
    }

    @Override
    public CompletionStage<Element> handle(Stanza iq) {
        return PoolWork.supply(() -> {
            List<Runnable> after = new ArrayList<>();
            Element answer;
            try {
                answer = answer(iq, after);
            } catch (Refusal refusal) {
                return refusal.replyTo(iq);
            }
            if (after.isEmpty()) {
                return answer;
            }
            send.accept(new Stanza(answer, iq.to() == null ? iq.from().asBareJid() : iq.to(), iq.from()));
            try {
                after.forEach(Runnable::run);
            } catch (RuntimeException e) {
                LOG.warn("cannot finish a pubsub request to {}", iq.to(), e);
            }
            return null;  // answered above
        }, blocking);
    }

    private Element answer(Stanza iq, List<Runnable> after) throws Refusal {
        BareJid requester = iq.from() == null ? null : iq.from().asBareJid();
        EntityBareJid owner = iq.to() == null ? (requester == null ? null : requester.asEntityBareJidIfPossible())
                : iq.to().asEntityBareJidIfPossible();
        if (owner == null || requester == null) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
        }
        Element pubsub = iq.element().elements().get(0);
        List<Element> verbs = pubsub.elements();
        if (verbs.isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
        }
        Element verb = verbs.get(0);
        boolean set = "set".equals(iq.type());
        boolean own = owner.equals(requester);
        if (Pubsub.NS.equals(pubsub.getNamespaceURI())) {
            if (!set && "items".equals(verb.getName())) {
                return items(iq, owner, requester, verb);
            }
            if (set && List.of("publish", "retract", "create").contains(verb.getName()) && !own) {
                throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
            }
            return switch (set ? verb.getName() : "get " + verb.getName()) {
                case "publish" -> publish(iq, owner, verb, pubsub.element(QName.get("publish-options", Pubsub.NS)));
                case "retract" -> retract(iq, owner, verb);
                case "create" -> create(iq, owner, verb, pubsub.element(QName.get("configure", Pubsub.NS)));
                case "subscribe" -> subscribe(iq, owner, requester, verb, pubsub, after);
                case "unsubscribe" -> unsubscribe(iq, owner, requester, verb);
                case "get options" -> {
                    String node = Pubsub.requiredNode(verb.attributeValue("node"));
                    Jid jid = Pubsub.subscriberJid(verb);
                    Element result = Stanzas.iqResult(iq.element());
                    result.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("options", Pubsub.NS))
                            .addAttribute("node", node).addAttribute("jid", jid.toString())
                            .add(subscriptions.options(owner, node, requester, jid).form("form"));
                    yield result;
                }
                case "options" -> {
                    subscriptions.configure(owner, Pubsub.requiredNode(verb.attributeValue("node")), requester,
                            Pubsub.subscriberJid(verb), verb.element(QName.get("x", Pubsub.DATA)));
                    yield Stanzas.iqResult(iq.element());
                }
                case "get default" -> defaultOptions(iq, owner, verb.attributeValue("node"));
                case "get subscriptions" -> ownSubscriptions(iq, owner, requester, verb.attributeValue("node"));
                case "get affiliations" -> ownAffiliations(iq, owner, requester, verb.attributeValue("node"));
                default -> throw Refusal.of(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
            };
        }
        if (!own) {
            throw Refusal.of(StanzaErrorCondition.FORBIDDEN);
        }
        return owner(iq, owner, verb, set);
    }

    /** The owner's use cases (XEP-0060 §8), namespace {@code pubsub#owner}. */
    private Element owner(Stanza iq, EntityBareJid owner, Element verb, boolean set) throws Refusal {
        String node = verb.attributeValue("node");
        switch ((set ? "set " : "get ") + verb.getName()) {
            case "get default" -> {
                return ownerResult(iq, "default", null, NodeConfig.defaults().form("form"));
            }
            case "get configure" -> {
                return ownerResult(iq, "configure", node, service.existing(owner, Pubsub.requiredNode(node)).form("form"));
            }
            case "set configure" -> {
                Element x = verb.element(QName.get("x", Pubsub.DATA));
                if (x != null && !"cancel".equals(x.attributeValue("type"))) {
                    service.configure(owner, Pubsub.requiredNode(node), Pubsub.fields(x));
                }
                return Stanzas.iqResult(iq.element());
            }
            case "set delete" -> service.delete(owner, Pubsub.requiredNode(node));
            case "set purge" -> service.purge(owner, Pubsub.requiredNode(node));
            case "get affiliations" -> {
                Element affiliations = DocumentHelper.createElement(QName.get("affiliations", Pubsub.OWNER))
                        .addAttribute("node", Pubsub.requiredNode(node));
                service.affiliations(owner, node).forEach((jid, affiliation) -> affiliations
                        .addElement(QName.get("affiliation", Pubsub.OWNER)).addAttribute("jid", jid)
                        .addAttribute("affiliation", affiliation.value()));
                return ownerResult(iq, affiliations);
            }
            case "set affiliations" -> service.affiliate(owner, Pubsub.requiredNode(node),
                    Pubsub.affiliationChanges(verb, Affiliation::of));
            case "get subscriptions" -> {
                Element list = DocumentHelper.createElement(QName.get("subscriptions", Pubsub.OWNER))
                        .addAttribute("node", Pubsub.requiredNode(node));
                for (String jid : subscriptions.subscribers(owner, node)) {
                    list.addElement(QName.get("subscription", Pubsub.OWNER)).addAttribute("jid", jid)
                            .addAttribute("subscription", "subscribed");
                }
                return ownerResult(iq, list);
            }
            case "set subscriptions" -> {
                List<Element> unchanged = subscriptions.change(owner, Pubsub.requiredNode(node),
                        Pubsub.subscriptionChanges(verb));
                if (!unchanged.isEmpty()) {
                    return Pubsub.notApplied(iq, node, "subscriptions", unchanged);
                }
            }
            default -> throw Refusal.of(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
        }
        return Stanzas.iqResult(iq.element());
    }

    /** §7.1: publish one item, with publish-options (§7.1.5); the result names the item (§7.1.2). */
    private Element publish(Stanza iq, EntityBareJid owner, Element publish, Element publishOptions) throws Refusal {
        String node = Pubsub.requiredNode(publish.attributeValue("node"));
        List<Element> items = publish.elements(QName.get("item", Pubsub.NS));
        if (items.size() != 1) {
            // §7.1.3.4: no item; one request publishes one item here.
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, items.isEmpty() ? "item-required" : "invalid-payload", null);
        }
        Element item = items.get(0);
        if (item.elements().size() != 1) {
            // §7.1.3.5 no payload; §7.1.3.6 more than one payload.
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, item.elements().isEmpty() ? "payload-required"
                    : "invalid-payload", null);
        }
        Map<String, List<String>> options = publishOptions == null ? Map.of()
                : Pubsub.fields(publishOptions.element(QName.get("x", Pubsub.DATA)));
        if (!options.isEmpty() && !List.of(Pubsub.PUBLISH_OPTIONS).equals(options.get("FORM_TYPE"))) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-options", "FORM_TYPE must be " + Pubsub.PUBLISH_OPTIONS);
        }
        String id = service.publish(owner, node, item.attributeValue("id"), item.elements().get(0).createCopy(), options,
                iq.from());
        Element result = Stanzas.iqResult(iq.element());
        result.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("publish", Pubsub.NS))
                .addAttribute("node", node).addElement(QName.get("item", Pubsub.NS)).addAttribute("id", id);
        return result;
    }

    /** §7.2: retract one item; {@code notify} asks for notifications (§7.2.2.1). */
    private Element retract(Stanza iq, EntityBareJid owner, Element retract) throws Refusal {
        String node = Pubsub.requiredNode(retract.attributeValue("node"));
        List<Element> items = retract.elements(QName.get("item", Pubsub.NS));
        if (items.size() != 1 || items.get(0).attributeValue("id") == null) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "item-required", null);
        }
        String notify = retract.attributeValue("notify", "false");
        service.retract(owner, node, items.get(0).attributeValue("id"), "true".equals(notify) || "1".equals(notify));
        return Stanzas.iqResult(iq.element());
    }

    /** §8.1: create a node, with a configuration (§8.1.3); instant nodes are not offered. */
    private Element create(Stanza iq, EntityBareJid owner, Element create, Element configure) throws Refusal {
        String node = create.attributeValue("node");
        if (node == null || node.isEmpty()) {
            throw Refusal.of(StanzaErrorCondition.NOT_ACCEPTABLE, "nodeid-required", null);
        }
        Map<String, List<String>> fields = configure == null ? Map.of()
                : Pubsub.fields(configure.element(QName.get("x", Pubsub.DATA)));
        service.create(owner, node, NodeConfig.defaults().with(fields, service.maxItems()));
        return Stanzas.iqResult(iq.element());
    }

    /** §6.5: all items, the newest {@code max_items} (§6.5.7), some by id (§6.5.8), or a page of them (§6.5.4, XEP-0059). */
    private Element items(Stanza iq, EntityBareJid owner, BareJid requester, Element request) throws Refusal {
        Pubsub.ItemsRequest asked = Pubsub.ItemsRequest.of(request);
        String node = asked.node();
        Pubsub.ItemPage<PepItem> page = null;
        List<PepItem> found;
        if (asked.page() != null && asked.ids().isEmpty()) {
            page = service.page(owner, requester, node, asked.max(), asked.page());
            found = page.items();
        } else {
            found = service.retrieve(owner, requester, node, asked.max(), asked.ids());
        }
        Element result = Stanzas.iqResult(iq.element());
        Element pubsub = result.addElement(QName.get("pubsub", Pubsub.NS));
        Element items = pubsub.addElement(QName.get("items", Pubsub.NS)).addAttribute("node", node);
        for (PepItem item : found) {
            items.addElement(QName.get("item", Pubsub.NS)).addAttribute("id", item.id()).add(Notifications.payload(item));
        }
        if (page != null) {
            pubsub.add(page.page().answer(found.stream().map(PepItem::id).toList()));
        }
        return result;
    }

    /**
     * §6.1: subscribe, answered with the subscription (§6.1.2), which may have options (§6.1.5),
     * and those the request gave as they now are (§6.3.7); the node's last item follows the
     * answer (§6.1.7).
     */
    private Element subscribe(Stanza iq, EntityBareJid owner, BareJid requester, Element subscribe, Element pubsub,
                              List<Runnable> after) throws Refusal {
        String node = Pubsub.requiredNode(subscribe.attributeValue("node"));
        Jid jid = Pubsub.subscriberJid(subscribe);
        SubscriptionOptions options = SubscriptionOptions.requested(pubsub);
        after.add(subscriptions.subscribe(owner, node, requester, jid, options));
        Element result = Stanzas.iqResult(iq.element());
        Element wrapper = result.addElement(QName.get("pubsub", Pubsub.NS));
        wrapper.addElement(QName.get("subscription", Pubsub.NS)).addAttribute("node", node)
                .addAttribute("jid", jid.toString()).addAttribute("subscription", "subscribed")
                .addElement(QName.get("subscribe-options", Pubsub.NS));
        if (options != null) {
            wrapper.addElement(QName.get("options", Pubsub.NS)).add(subscriptions.options(owner, node, jid).form("result"));
        }
        return result;
    }

    /** §6.4: the options a new subscription gets, of the service or of one node. */
    private Element defaultOptions(Stanza iq, EntityBareJid owner, String node) throws Refusal {
        Element result = Stanzas.iqResult(iq.element());
        Element defaults = result.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("default", Pubsub.NS));
        if (node != null && !node.isEmpty()) {
            service.existing(owner, node);
            defaults.addAttribute("node", node);
        }
        defaults.add(SubscriptionOptions.DEFAULT.form("result"));
        return result;
    }

    /** §6.2: unsubscribe, answered with an empty result (§6.2.2). */
    private Element unsubscribe(Stanza iq, EntityBareJid owner, BareJid requester, Element unsubscribe) throws Refusal {
        subscriptions.unsubscribe(owner, Pubsub.requiredNode(unsubscribe.attributeValue("node")), requester,
                Pubsub.subscriberJid(unsubscribe));
        return Stanzas.iqResult(iq.element());
    }

    /** §5.6: the requester's subscriptions at this service, of one node if named. */
    private Element ownSubscriptions(Stanza iq, EntityBareJid owner, BareJid requester, String node) {
        Element result = Stanzas.iqResult(iq.element());
        Element list = result.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("subscriptions", Pubsub.NS));
        if (node != null) {
            list.addAttribute("node", node);
        }
        for (Subscription subscription : subscriptions.subscriptionsOf(owner, requester, node)) {
            list.addElement(QName.get("subscription", Pubsub.NS)).addAttribute("node", subscription.node())
                    .addAttribute("jid", subscription.jid()).addAttribute("subscription", "subscribed");
        }
        return result;
    }

    /** §5.7: the requester's affiliations at this service, of one node if named. */
    private Element ownAffiliations(Stanza iq, EntityBareJid owner, BareJid requester, String node) {
        Element result = Stanzas.iqResult(iq.element());
        Element list = result.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("affiliations", Pubsub.NS));
        if (node != null) {
            list.addAttribute("node", node);
        }
        subscriptions.affiliationsOf(owner, requester, node).forEach((name, affiliation) -> list
                .addElement(QName.get("affiliation", Pubsub.NS)).addAttribute("node", name)
                .addAttribute("affiliation", affiliation.value()));
        return result;
    }

    private static Element ownerResult(Stanza iq, String verb, String node, Element form) {
        Element element = DocumentHelper.createElement(QName.get(verb, Pubsub.OWNER));
        if (node != null) {
            element.addAttribute("node", node);
        }
        element.add(form);
        return ownerResult(iq, element);
    }

    private static Element ownerResult(Stanza iq, Element payload) {
        Element result = Stanzas.iqResult(iq.element());
        result.addElement(QName.get("pubsub", Pubsub.OWNER)).add(payload);
        return result;
    }
}
