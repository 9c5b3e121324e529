package im.parley.server.modules.pubsub;

import static im.parley.server.module.IqReplies.payload;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.event.StanzaEvent;
import im.parley.server.event.Verdict;
import im.parley.server.module.PoolWork;
import im.parley.server.modules.pep.Pubsub;
import im.parley.server.modules.pep.Pubsub.Refusal;
import im.parley.server.modules.pep.SubscriptionOptions;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Item;
import im.parley.server.modules.pubsub.JdbcPubsubStore.Subscription;
import im.parley.server.modules.pubsub.PubsubService.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests to the publish-subscribe service's domain: service discovery (XEP-0060 §5.1–§5.5),
 * the {@code pubsub} namespace (§5.6, §5.7, §6, §7, §8.1) and the {@code pubsub#owner} namespace
 * (§8), and the owners' answers to subscription approval forms (§8.6). One at a time, in the
 * order they came, on the blocking pool ({@link #inTurn}): a client's create, publish and delete
 * keep their order, and two requests never race on one node.
 */
final class PubsubRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PubsubRequests.class);

    private final PubsubService service;
    private final ServiceDisco disco;
    private final Executor pool;
    private final Consumer<Stanza> send;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    PubsubRequests(PubsubService service, boolean subscriptionNotifications, Executor pool, Consumer<Stanza> send) {
        this.service = service;
        this.disco = new ServiceDisco(service, subscriptionNotifications);
        this.pool = pool;
        this.send = send;
    }

    /** {@code work} on the pool once every request before it is done. */
    synchronized <T> CompletableFuture<T> inTurn(Supplier<T> work) {
        CompletableFuture<T> next = tail.thenCompose(ignored -> PoolWork.supply(work, pool));
        tail = next.handle((value, failure) -> null);
        return next;
    }

    /** A request in the {@code pubsub} or {@code pubsub#owner} namespace. */
    CompletionStage<Element> request(Stanza iq) {
        return inTurn(() -> answer(iq));
    }

    CompletionStage<Element> discoInfo(Stanza iq) {
        return inTurn(() -> answerOrRefuse(iq, () -> disco.info(iq)));
    }

    CompletionStage<Element> discoItems(Stanza iq) {
        return inTurn(() -> answerOrRefuse(iq, () -> disco.items(iq)));
    }

    /** A deleted account leaves the service ({@link PubsubService#forget}), in turn with the requests. */
    CompletableFuture<Void> forget(BareJid account) {
        return inTurn(() -> {
            service.forget(account);
            return null;
        });
    }

    /** §8.6: a message to the service that answers an approval form; any other message passes. */
    Verdict onMessage(StanzaEvent event) {
        Stanza message = event.stanza();
        Element form = message.element().element(QName.get("x", Pubsub.DATA));
        if (form == null || message.from() == null
                || !List.of(Events.SUBSCRIBE_AUTHORIZATION).equals(Pubsub.fields(form).get("FORM_TYPE"))) {
            return Verdict.PASS;
        }
        inTurn(() -> {
            decide(message, form);
            return null;
        }).exceptionally(failure -> {
            LOG.warn("cannot apply a subscription approval from {}", message.from(), failure);
            return null;
        });
        return Verdict.HANDLED;
    }

    private void decide(Stanza message, Element form) {
        Map<String, List<String>> fields = Pubsub.fields(form);
        String node = first(fields.get("pubsub#node"));
        String subscriber = first(fields.get("pubsub#subscriber_jid"));
        if ("cancel".equals(form.attributeValue("type"))) {
            return;  // §8.6: a cancelled form leaves the subscription pending
        }
        boolean allow = List.of("1", "true").contains(first(fields.get("pubsub#allow")));
        try {
            Jid subscriberJid;
            try {
                subscriberJid = Jids.parse(subscriber);
            } catch (JidMalformedException e) {
                throw Refusal.of(StanzaErrorCondition.JID_MALFORMED, null, e.getMessage());
            }
            service.subscriptions().decide(message.from(), node, subscriberJid, allow);
        } catch (Refusal refusal) {
            send.accept(new Stanza(refusal.replyTo(message), service.domain(), message.from()));
        }
    }

    private interface Answer {
        Element get() throws Refusal;
    }

    private static Element answerOrRefuse(Stanza iq, Answer answer) {
        try {
            return answer.get();
        } catch (Refusal refusal) {
            return refusal.replyTo(iq);
        }
    }

    private Element answer(Stanza iq) {
        return answerOrRefuse(iq, () -> {
            Element pubsub = payload(iq);
            List<Element> children = pubsub.elements();
            if (children.isEmpty() || iq.from() == null) {
                throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
            }
            Element verb = children.get(0);
            boolean set = "set".equals(iq.type());
            String node = verb.attributeValue("node");
            Jid from = iq.from();
            if (Pubsub.OWNER.equals(pubsub.getNamespaceURI())) {
                return owner(iq, from, verb, set);
            }
            return switch ((set ? "set " : "get ") + verb.getName()) {
                case "get items" -> items(iq, from, verb);
                case "set publish" -> publish(iq, from, verb, pubsub.element(QName.get("publish-options", Pubsub.NS)));
                case "set retract" -> {
                    List<Element> items = verb.elements(QName.get("item", Pubsub.NS));
                    if (items.size() != 1 || items.get(0).attributeValue("id") == null) {
                        // §7.2.3.4: the item is named.
                        throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "item-required", null);
                    }
                    String notify = verb.attributeValue("notify", "false");
                    service.retract(from, Pubsub.requiredNode(node), items.get(0).attributeValue("id"),
                            notify.equals("true") || notify.equals("1"));
                    yield Stanzas.iqResult(iq.element());
                }
                case "set create" -> {
                    Element configure = pubsub.element(QName.get("configure", Pubsub.NS));
                    String created = service.create(from, node == null || node.isEmpty() ? null : node,
                            configure == null ? Map.of() : Pubsub.fields(configure.element(QName.get("x", Pubsub.DATA))));
                    Element answer = Stanzas.iqResult(iq.element());
                    if (node == null || node.isEmpty()) {
                        // §8.1.2: the service names an instant node in its answer.
                        answer.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("create", Pubsub.NS))
                                .addAttribute("node", created);
                    }
                    yield answer;
                }
                case "set subscribe" -> {
                    Jid jid = Pubsub.subscriberJid(verb);
                    SubscriptionOptions options = SubscriptionOptions.requested(pubsub);
                    Subscription subscription = service.subscriptions().subscribe(from, Pubsub.requiredNode(node), jid,
                            options);
                    Element answer = Stanzas.iqResult(iq.element());
                    Element wrapper = answer.addElement(QName.get("pubsub", Pubsub.NS));
                    // §6.1.5: options are offered, not required.
                    wrapper.addElement(QName.get("subscription", Pubsub.NS))
                            .addAttribute("node", node).addAttribute("jid", jid.toString())
                            .addAttribute("subscription", subscription.state().value())
                            .addElement(QName.get("subscribe-options", Pubsub.NS));
                    if (options != null) {
                        // §6.3.7: the options as they now are.
                        wrapper.addElement(QName.get("options", Pubsub.NS)).add(subscription.options().form("result"));
                    }
                    yield answer;
                }
                case "set unsubscribe" -> {
                    service.subscriptions().unsubscribe(from, Pubsub.requiredNode(node), Pubsub.subscriberJid(verb));
                    yield Stanzas.iqResult(iq.element());
                }
                case "get subscriptions" -> {
                    Element list = DocumentHelper.createElement(QName.get("subscriptions", Pubsub.NS));
                    if (node != null) {
                        list.addAttribute("node", node);
                    }
                    for (Subscription s : service.subscriptions().subscriptionsOf(from.asBareJid(), node)) {
                        list.addElement(QName.get("subscription", Pubsub.NS)).addAttribute("node", s.node())
                                .addAttribute("jid", s.jid()).addAttribute("subscription", s.state().value());
                    }
                    yield wrapped(iq, Pubsub.NS, list);
                }
                case "get affiliations" -> {
                    Element list = DocumentHelper.createElement(QName.get("affiliations", Pubsub.NS));
                    if (node != null) {
                        list.addAttribute("node", node);
                    }
                    service.affiliationsOf(from.asBareJid(), node).forEach((name, affiliation) -> list
                            .addElement(QName.get("affiliation", Pubsub.NS)).addAttribute("node", name)
                            .addAttribute("affiliation", affiliation.value()));
                    yield wrapped(iq, Pubsub.NS, list);
                }
                case "get options" -> {
                    Jid jid = Pubsub.subscriberJid(verb);
                    String named = Pubsub.requiredNode(node);
                    Element options = DocumentHelper.createElement(QName.get("options", Pubsub.NS))
                            .addAttribute("node", named).addAttribute("jid", jid.toString());
                    options.add(service.subscriptions().options(from, named, jid).form("form"));
                    yield wrapped(iq, Pubsub.NS, options);
                }
                case "set options" -> {
                    Jid jid = Pubsub.subscriberJid(verb);
                    service.subscriptions().configure(from, Pubsub.requiredNode(node), jid,
                            verb.element(QName.get("x", Pubsub.DATA)));
                    yield Stanzas.iqResult(iq.element());
                }
                case "get default" -> {
                    // §6.4: the options a new subscription gets, of the service or of one node.
                    Element defaults = DocumentHelper.createElement(QName.get("default", Pubsub.NS));
                    if (node != null && !node.isEmpty()) {
                        service.existing(node);
                        defaults.addAttribute("node", node);
                    }
                    defaults.add(SubscriptionOptions.DEFAULT.form("result"));
                    yield wrapped(iq, Pubsub.NS, defaults);
                }
                default -> throw Refusal.of(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
            };
        });
    }

    /** The owner's use cases (§8), namespace {@code pubsub#owner}. */
    private Element owner(Stanza iq, Jid from, Element verb, boolean set) throws Refusal {
        String node = verb.attributeValue("node");
        switch ((set ? "set " : "get ") + verb.getName()) {
            case "get default" -> {
                Element defaults = DocumentHelper.createElement(QName.get("default", Pubsub.OWNER));
                defaults.add(service.defaults().form("form"));
                return wrapped(iq, Pubsub.OWNER, defaults);
            }
            case "get configure" -> {
                Element configure = DocumentHelper.createElement(QName.get("configure", Pubsub.OWNER))
                        .addAttribute("node", Pubsub.requiredNode(node));
                configure.add(service.configuration(from, node));
                return wrapped(iq, Pubsub.OWNER, configure);
            }
            case "set configure" -> {
                Element x = verb.element(QName.get("x", Pubsub.DATA));
                if (x == null) {
                    throw Refusal.of(StanzaErrorCondition.BAD_REQUEST);
                }
                if (!"cancel".equals(x.attributeValue("type"))) {
                    service.configure(from, Pubsub.requiredNode(node), Pubsub.fields(x));
                }
            }
            case "set delete" -> {
                Element redirect = verb.element(QName.get("redirect", Pubsub.OWNER));
                service.delete(from, Pubsub.requiredNode(node), redirect == null ? null : redirect.attributeValue("uri"));
            }
            case "set purge" -> service.purge(from, Pubsub.requiredNode(node));
            case "get subscriptions" -> {
                Element list = DocumentHelper.createElement(QName.get("subscriptions", Pubsub.OWNER))
                        .addAttribute("node", Pubsub.requiredNode(node));
                for (Subscription s : service.subscriptions().subscriptions(from, node)) {
                    list.addElement(QName.get("subscription", Pubsub.OWNER)).addAttribute("jid", s.jid())
                            .addAttribute("subscription", s.state().value());
                }
                return wrapped(iq, Pubsub.OWNER, list);
            }
            case "set subscriptions" -> {
                Map<String, String> changes = new LinkedHashMap<>();
                for (Element s : Pubsub.subscriptionChanges(verb)) {
                    if (s.attributeValue("subscription") != null) {
                        changes.put(s.attributeValue("jid", ""), s.attributeValue("subscription"));
                    }
                }
                List<Subscription> unchanged = service.subscriptions().changeSubscriptions(from,
                        Pubsub.requiredNode(node), changes);
                if (!unchanged.isEmpty()) {
                    return Pubsub.notApplied(iq, node, "subscriptions", unchanged.stream().map(s -> {
                        Element e = DocumentHelper.createElement(QName.get("subscription", Pubsub.OWNER))
                                .addAttribute("jid", s.jid());
                        return e.addAttribute("subscription", s.state() == null ? "none" : s.state().value());
                    }).toList());
                }
            }
            case "get affiliations" -> {
                Element list = DocumentHelper.createElement(QName.get("affiliations", Pubsub.OWNER))
                        .addAttribute("node", Pubsub.requiredNode(node));
                service.affiliations(from, node).forEach((jid, affiliation) -> list
                        .addElement(QName.get("affiliation", Pubsub.OWNER)).addAttribute("jid", jid)
                        .addAttribute("affiliation", affiliation.value()));
                return wrapped(iq, Pubsub.OWNER, list);
            }
            case "set affiliations" -> service.affiliate(from, Pubsub.requiredNode(node), Pubsub.affiliationChanges(verb, Affiliation::of));
            default -> throw Refusal.of(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
        }
        return Stanzas.iqResult(iq.element());
    }

    /** §7.1: one item (or none, for a transient notification-only node), with publish-options (§7.1.5). */
    private Element publish(Stanza iq, Jid from, Element publish, Element publishOptions) throws Refusal {
        String node = Pubsub.requiredNode(publish.attributeValue("node"));
        List<Element> items = publish.elements(QName.get("item", Pubsub.NS));
        if (items.size() > 1) {
            // One item per request: batches are not offered.
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-payload", null);
        }
        Map<String, List<String>> options = publishOptions == null ? Map.of()
                : Pubsub.fields(publishOptions.element(QName.get("x", Pubsub.DATA)));
        if (!options.isEmpty() && !List.of(Pubsub.PUBLISH_OPTIONS).equals(options.get("FORM_TYPE"))) {
            throw Refusal.of(StanzaErrorCondition.BAD_REQUEST, "invalid-options", "FORM_TYPE must be " + Pubsub.PUBLISH_OPTIONS);
        }
        String id = service.publish(from, node, items.isEmpty() ? null : items.get(0), options);
        Element answer = Stanzas.iqResult(iq.element());
        Element published = answer.addElement(QName.get("pubsub", Pubsub.NS)).addElement(QName.get("publish", Pubsub.NS))
                .addAttribute("node", node);
        if (id != null) {
            published.addElement(QName.get("item", Pubsub.NS)).addAttribute("id", id);
        }
        return answer;
    }

    /** §6.5: every item, the newest {@code max_items} (§6.5.7), some by id (§6.5.8), or a page of them (§6.5.4, XEP-0059). */
    private Element items(Stanza iq, Jid from, Element request) throws Refusal {
        Pubsub.ItemsRequest asked = Pubsub.ItemsRequest.of(request);
        String node = asked.node();
        Node existing = service.existing(node);
        NodeSettings settings = existing.settings();
        Element list = DocumentHelper.createElement(QName.get("items", Pubsub.NS)).addAttribute("node", node);
        Pubsub.ItemPage<Item> page = asked.page() == null || !asked.ids().isEmpty() ? null
                : service.page(from, existing, asked.max(), asked.page());
        List<Item> found = page == null ? service.items(from, existing, asked.max(), asked.ids()) : page.items();
        for (Item item : found) {
            Element element = list.addElement(QName.get("item", Pubsub.NS)).addAttribute("id", item.id());
            if (settings.repliesToPublisher()) {
                element.addAttribute("publisher", item.publisher());
            }
            if (!item.payloadXml().isEmpty()) {
                element.add(Events.payload(item));
            }
        }
        Element answer = wrapped(iq, Pubsub.NS, list);
        if (page != null) {
            answer.element(QName.get("pubsub", Pubsub.NS)).add(page.page().answer(found.stream().map(Item::id).toList()));
        }
        return answer;
    }

    private static Element wrapped(Stanza iq, String namespace, Element child) {
        Element pubsub = DocumentHelper.createElement(QName.get("pubsub", namespace));
        pubsub.add(child);
        return result(iq, pubsub);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}
