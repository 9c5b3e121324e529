package im.parley.server.modules.push;

import im.parley.core.jid.JidMalformedException;
import im.parley.core.jid.Jids;
import java.util.List;
import org.dom4j.Element;
import org.jxmpp.jid.Jid;

/** Reads {@code <enable/>} and {@code <disable/>} (XEP-0357 §5, §6). */
final class PushRequests {

    /** A request the client got wrong: answered with {@code bad-request}. */
    static final class InvalidRequest extends Exception {
        InvalidRequest(String message) {
            super(message);
        }
    }

    /** XEP-0357 §5: {@code <enable jid node>}, optionally with a publish-options form. */
    record Enable(Jid appServer, String node, Element publishOptions) {
    }

    /** XEP-0357 §6: {@code <disable jid [node]>}; without node every node of the app server. */
    record Disable(Jid appServer, String node) {
    }

    private PushRequests() {
    }

    static Enable enable(Element enable) throws InvalidRequest {
        Jid jid = appServer(enable);
        String node = enable.attributeValue("node");
        if (node == null || node.isEmpty()) {
            throw new InvalidRequest("the node attribute is required");
        }
        Element form = null;
        List<Element> forms = enable.elements("x");
        for (Element x : forms) {
            if (PushNamespaces.DATA.equals(x.getNamespaceURI())) {
                form = x;
            }
        }
        if (form != null) {
            // XEP-0357 §5: the form is of type submit with FORM_TYPE publish-options.
            if (!"submit".equals(form.attributeValue("type"))
                    || !PushNamespaces.PUBLISH_OPTIONS.equals(DataForms.value(form, "FORM_TYPE"))) {
                throw new InvalidRequest("publish options must be a submitted form of type "
                        + PushNamespaces.PUBLISH_OPTIONS);
            }
            form = form.createCopy();
        }
        return new Enable(jid, node, form);
    }

    static Disable disable(Element disable) throws InvalidRequest {
        String node = disable.attributeValue("node");
        return new Disable(appServer(disable), node == null || node.isEmpty() ? null : node);
    }

    private static Jid appServer(Element request) throws InvalidRequest {
        String jid = request.attributeValue("jid");
        if (jid == null || jid.isEmpty()) {
            throw new InvalidRequest("the jid attribute is required");
        }
        try {
            return Jids.parse(jid);
        } catch (JidMalformedException e) {
            throw new InvalidRequest("not a valid JID: " + jid);
        }
    }
}
