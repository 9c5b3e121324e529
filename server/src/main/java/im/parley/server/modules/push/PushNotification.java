package im.parley.server.modules.push;

import im.parley.core.stream.Namespaces;
import im.parley.server.storage.PushRegistration;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.jxmpp.jid.EntityBareJid;

/**
 * The publish request that carries a notification to an app server (XEP-0357 §7): an IQ set
 * from the account's bare JID with a XEP-0060 {@code <publish/>} to the registered node, whose
 * item holds {@code <notification xmlns='urn:xmpp:push:0'>} with the {@code urn:xmpp:push:summary}
 * form, and the registration's publish-options (e.g. the app server's secret).
 */
final class PushNotification {

    private PushNotification() {
    }

    static Element publish(String id, EntityBareJid owner, PushRegistration registration, PushSummary summary) {
        Element iq = DocumentHelper.createElement(QName.get("iq", Namespaces.CLIENT));
        iq.addAttribute("type", "set").addAttribute("id", id)
                .addAttribute("from", owner.toString()).addAttribute("to", registration.appServer().toString());
        Element pubsub = iq.addElement(QNames.of("pubsub", PushNamespaces.PUBSUB));
        Element publish = pubsub.addElement(QNames.of("publish", PushNamespaces.PUBSUB))
                .addAttribute("node", registration.node());
        Element notification = publish.addElement(QNames.of("item", PushNamespaces.PUBSUB))
                .addElement(QNames.of("notification", PushNamespaces.PUSH));
        Element form = notification.addElement(QNames.of("x", PushNamespaces.DATA)).addAttribute("type", "submit");
        DataForms.addField(form, "FORM_TYPE", PushNamespaces.SUMMARY);
        DataForms.addField(form, "message-count", Integer.toString(summary.messageCount()));
        if (summary.lastSender() != null) {
            DataForms.addField(form, "last-message-sender", summary.lastSender());
        }
        if (summary.lastBody() != null) {
            DataForms.addField(form, "last-message-body", summary.lastBody());
        }
        if (registration.publishOptions() != null) {
            pubsub.addElement(QNames.of("publish-options", PushNamespaces.PUBSUB))
                    .add(registration.publishOptions().createCopy());
        }
        return iq;
    }
}
