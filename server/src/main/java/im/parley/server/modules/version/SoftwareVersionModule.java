package im.parley.server.modules.version;

import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Software Version (XEP-0092 §2): the server answers with its name and version. The operating
 * system is left out, as Prosody does by default: it would only help attackers (XEP-0092 §5).
 */
public final class SoftwareVersionModule implements XmppModule {

    public static final String NAMESPACE = "jabber:iq:version";
    public static final String NAME = "Parley";
    private static final Namespace NS = Namespace.get(NAMESPACE);

    private String version;

    @Override
    public String name() {
        return "version";
    }

    @Override
    public void load(ModuleContext context) {
        this.version = context.serverVersion();
        context.addServerFeature(NAMESPACE);
        context.handleServerIq(NAMESPACE, iq -> {
            if (!"get".equals(iq.type())) {
                return CompletableFuture.completedFuture(
                        Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST)));
            }
            Element result = Stanzas.iqResult(iq.element());
            Element query = result.addElement(QName.get("query", NS));
            query.addElement(QName.get("name", NS)).setText(NAME);
            query.addElement(QName.get("version", NS)).setText(version);
            return CompletableFuture.completedFuture(result);
        });
    }
}
