package im.parley.server.modules.disco;

import im.parley.server.modules.caps.CapsVerification;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * What the server says about itself in service discovery (XEP-0030 §3.1): the identity
 * {@code server/im}, the features modules announced and the extended information forms they
 * added (XEP-0128). Built once by the assembly over the module registrations and read live, so
 * it is complete once every module has loaded. Also the source of the server's entity
 * capabilities hash (XEP-0115 §5).
 */
public final class ServerInfo {

    public static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    public static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    /** The identity name (XEP-0030 §3.1: a natural-language name for the entity). */
    public static final String NAME = "Parley";

    private final Supplier<Set<String>> features;
    private final Supplier<List<Element>> extensions;
    private final LongSupplier changes;
    /** The caps {@code ver} and the {@link #changes} it was computed at: every stream's features carry it. */
    private volatile CachedVer cachedVer = new CachedVer(-1, null);

    private record CachedVer(long at, String ver) {
    }

    /**
     * @param features the announced features ({@code DefaultModuleContext::serverFeatures})
     * @param extensions the extended information forms ({@code DefaultModuleContext::serverInfoExtensions})
     * @param changes a count that grows whenever the features or the forms change
     */
    public ServerInfo(Supplier<Set<String>> features, Supplier<List<Element>> extensions, LongSupplier changes) {
        this.features = features;
        this.extensions = extensions;
        this.changes = changes;
    }

    /** A fresh disco#info {@code <query/>} (XEP-0030 §3.1) with {@code node} set when not null. */
    public Element infoQuery(String node) {
        Element query = DocumentHelper.createElement(QName.get("query", Namespace.get(DISCO_INFO)));
        if (node != null) {
            query.addAttribute("node", node);
        }
        query.addElement(QName.get("identity", query.getNamespace()))
                .addAttribute("category", "server")
                .addAttribute("type", "im")
                .addAttribute("name", NAME);
        for (String feature : new TreeSet<>(features.get())) {
            query.addElement(QName.get("feature", query.getNamespace())).addAttribute("var", feature);
        }
        for (Element form : extensions.get()) {
            query.add(form);
        }
        return query;
    }

    /** The server's entity capabilities {@code ver} (XEP-0115 §5.1) over {@link #infoQuery}. */
    public String capsVer() {
        long now = changes.getAsLong();
        CachedVer cached = cachedVer;
        if (cached.at() != now) {
            cached = new CachedVer(now, CapsVerification.ver(infoQuery(null)));
            cachedVer = cached;
        }
        return cached.ver();
    }

    /** The disco#info node that names this server's current capabilities (XEP-0115 §6.2: node#ver). */
    public String capsNode() {
        return CapsVerification.NODE + "#" + capsVer();
    }
}
