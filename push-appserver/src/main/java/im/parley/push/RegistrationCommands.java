package im.parley.push;

import java.util.List;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;

/**
 * Device registration through ad-hoc commands (XEP-0050), as the Conversations app server does:
 * {@code register-push-fcm} and {@code register-push-apns} take the device token and a device
 * id and answer with the {@code node} and {@code secret} the client then gives its XMPP server in
 * {@code <enable/>} (XEP-0357 §5); {@code unregister-push} forgets a device. A request without a
 * submitted form gets the form to fill (§4.4, status {@code executing}).
 */
final class RegistrationCommands {

    static final String NAMESPACE = "http://jabber.org/protocol/commands";
    static final String REGISTER_FCM = "register-push-fcm";
    static final String REGISTER_APNS = "register-push-apns";
    static final String UNREGISTER = "unregister-push";

    private final RegistrationStore store;
    private final boolean fcm;
    private final boolean apns;

    RegistrationCommands(RegistrationStore store, boolean fcm, boolean apns) {
        this.store = store;
        this.fcm = fcm;
        this.apns = apns;
    }

    /** The commands offered (XEP-0050 §2.2: disco#items of the commands node). */
    List<String> nodes() {
        List<String> nodes = new java.util.ArrayList<>();
        if (fcm) {
            nodes.add(REGISTER_FCM);
        }
        if (apns) {
            nodes.add(REGISTER_APNS);
        }
        nodes.add(UNREGISTER);
        return nodes;
    }

    Element execute(Element iq) {
        Element command = iq.element(QName.get("command", NAMESPACE));
        String node = command.attributeValue("node");
        if (!"set".equals(iq.attributeValue("type")) || node == null || !nodes().contains(node)) {
            return Iqs.error(iq, "cancel", "item-not-found", "no such command");
        }
        if ("cancel".equals(command.attributeValue("action"))) {
            return reply(iq, node, command.attributeValue("sessionid"), "canceled");
        }
        Element form = Forms.find(command);
        if (form == null || !"submit".equals(form.attributeValue("type"))) {
            return blankForm(iq, node);
        }
        String owner = Iqs.bare(iq.attributeValue("from"));
        String deviceId = first(Forms.value(form, "device-id"), Forms.value(form, "android-id"));
        String token = Forms.value(form, "token");
        if (deviceId == null || (!UNREGISTER.equals(node) && token == null)) {
            return Iqs.error(iq, "modify", "bad-request", "token and device-id are required");
        }
        if (UNREGISTER.equals(node)) {
            store.unregister(owner, deviceId);
            return reply(iq, node, command.attributeValue("sessionid"), "completed");
        }
        Registration.Style style = "notification".equals(Forms.value(form, "message-type"))
                ? Registration.Style.NOTIFICATION : Registration.Style.DATA;
        Registration registration = REGISTER_FCM.equals(node)
                ? store.register(owner, deviceId, Registration.Service.FCM, token, null, style,
                        "ios".equals(Forms.value(form, "platform")) ? Registration.Platform.IOS : Registration.Platform.ANDROID)
                : store.register(owner, deviceId, Registration.Service.APNS, token, Forms.value(form, "topic"), style,
                        Registration.Platform.IOS);
        Element reply = reply(iq, node, command.attributeValue("sessionid"), "completed");
        Element result = reply.element(QName.get("command", NAMESPACE)).addElement(QName.get("x", Forms.DATA))
                .addAttribute("type", "result");
        Forms.field(result, "node", null, null, registration.node());
        Forms.field(result, "secret", null, null, registration.secret());
        return reply;
    }

    private Element blankForm(Element iq, String node) {
        Element reply = reply(iq, node, UUID.randomUUID().toString(), "executing");
        Element command = reply.element(QName.get("command", NAMESPACE));
        command.addElement(QName.get("actions", NAMESPACE)).addAttribute("execute", "complete")
                .addElement(QName.get("complete", NAMESPACE));
        Element form = command.addElement(QName.get("x", Forms.DATA)).addAttribute("type", "form");
        form.addElement(QName.get("title", Forms.DATA)).setText(UNREGISTER.equals(node)
                ? "Unregister a device" : "Register a device for push notifications");
        Forms.field(form, "device-id", "text-single", "Device id", null)
                .addElement(QName.get("required", Forms.DATA));
        if (!UNREGISTER.equals(node)) {
            Forms.field(form, "token", "text-single", "Push token", null).addElement(QName.get("required", Forms.DATA));
            Element type = Forms.field(form, "message-type", "list-single", "Message type", "data");
            type.addElement(QName.get("option", Forms.DATA)).addElement(QName.get("value", Forms.DATA)).setText("data");
            type.addElement(QName.get("option", Forms.DATA)).addElement(QName.get("value", Forms.DATA)).setText("notification");
            if (REGISTER_FCM.equals(node)) {
                Forms.field(form, "platform", "text-single", "Platform (android or ios)", "android");
            } else {
                Forms.field(form, "topic", "text-single", "App bundle id", null);
            }
        }
        return reply;
    }

    private static Element reply(Element iq, String node, String sessionId, String status) {
        Element reply = Iqs.result(iq);
        reply.addElement(QName.get("command", NAMESPACE)).addAttribute("node", node)
                .addAttribute("sessionid", sessionId == null ? UUID.randomUUID().toString() : sessionId)
                .addAttribute("status", status);
        return reply;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
