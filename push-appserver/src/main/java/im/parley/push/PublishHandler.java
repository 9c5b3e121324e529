package im.parley.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * A notification published by an XMPP server (XEP-0357 §7): a XEP-0060 publish to a registered
 * node, from the registered account (or its server), carrying the node's secret in its
 * publish-options and the {@code urn:xmpp:push:summary} form. The answer waits for the push
 * service: a {@code result} means the device was reached, so the XMPP server may keep the
 * account's session longer. An unknown node or a token the service no longer accepts gets
 * {@code item-not-found}, a wrong secret or publisher {@code not-authorized} (the XMPP server
 * then drops its registration), a temporary service failure {@code resource-constraint} (wait).
 */
final class PublishHandler {

    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    static final String PUSH = "urn:xmpp:push:0";

    private final RegistrationStore store;
    private final Map<Registration.Service, PushSender> senders;

    PublishHandler(RegistrationStore store, Map<Registration.Service, PushSender> senders) {
        this.store = store;
        this.senders = senders;
    }

    CompletableFuture<Element> publish(Element iq) {
        Element pubsub = iq.element(QName.get("pubsub", PUBSUB));
        Element publish = pubsub.element(QName.get("publish", PUBSUB));
        if (!"set".equals(iq.attributeValue("type")) || publish == null || publish.attributeValue("node") == null) {
            return done(Iqs.error(iq, "modify", "bad-request", "expected a publish to a node"));
        }
        Optional<Registration> found = store.byNode(publish.attributeValue("node"));
        if (found.isEmpty()) {
            return done(Iqs.error(iq, "cancel", "item-not-found", "no such node"));
        }
        Registration registration = found.get();
        String secret = Forms.value(Forms.find(pubsub.element(QName.get("publish-options", PUBSUB))), "secret");
        if (secret == null || !constantTimeEquals(secret, registration.secret()) || !fromOwner(iq, registration)) {
            return done(Iqs.error(iq, "auth", "not-authorized", "wrong secret or publisher"));
        }
        PushSender sender = senders.get(registration.service());
        if (sender == null) {
            return done(Iqs.error(iq, "cancel", "service-unavailable", registration.service() + " is not configured"));
        }
        return sender.send(registration, summary(publish)).thenApply(result -> switch (result) {
            case DELIVERED -> Iqs.result(iq);
            case INVALID_TOKEN -> {
                store.remove(registration.node());
                yield Iqs.error(iq, "cancel", "item-not-found", "the device token is no longer valid");
            }
            case TEMPORARY_FAILURE -> Iqs.error(iq, "wait", "resource-constraint", "the push service is unavailable");
            case FAILURE -> Iqs.error(iq, "cancel", "internal-server-error", "the push service refused the push");
        });
    }

    /** The publisher is the registered account or its server (XEP-0357 §7: "the user's server"). */
    private static boolean fromOwner(Element iq, Registration registration) {
        String from = Iqs.bare(iq.attributeValue("from"));
        return registration.owner().equals(from) || Iqs.domain(registration.owner()).equals(from);
    }

    private static Notification summary(Element publish) {
        Element item = publish.element(QName.get("item", PUBSUB));
        Element notification = item == null ? null : item.element(QName.get("notification", PUSH));
        Element form = Forms.find(notification);
        String count = Forms.value(form, "message-count");
        int messages;
        try {
            messages = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            messages = 1;
        }
        return new Notification(messages, Forms.value(form, "last-message-sender"), Forms.value(form, "last-message-body"));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static CompletableFuture<Element> done(Element reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
