package im.parley.server.modules.time;

import im.parley.core.stream.StanzaError;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.core.stream.Stanzas;
import im.parley.server.module.ModuleContext;
import im.parley.server.module.XmppModule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Entity Time (XEP-0202 §2): the server's UTC time as an XEP-0082 dateTime ({@code utc}) and its
 * numeric time zone offset as an XEP-0082 TZD ({@code tzo}, e.g. {@code +02:00}).
 */
public final class EntityTimeModule implements XmppModule {

    public static final String NAMESPACE = "urn:xmpp:time";
    private static final Namespace NS = Namespace.get(NAMESPACE);
    /** XEP-0082 §3.2 dateTime in UTC, to the second: {@code 2006-12-19T17:58:35Z}. */
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The time and the zone reported: the context's. */
    private Clock clock;

    @Override
    public String name() {
        return "time";
    }

    @Override
    public void load(ModuleContext context) {
        this.clock = context.clock();
        context.addServerFeature(NAMESPACE);
        context.handleServerIq(NAMESPACE, iq -> {
            if (!"get".equals(iq.type())) {
                return CompletableFuture.completedFuture(
                        Stanzas.errorReply(iq.element(), StanzaError.of(StanzaErrorCondition.BAD_REQUEST)));
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Element result = Stanzas.iqResult(iq.element());
            Element time = result.addElement(QName.get("time", NS));
            time.addElement(QName.get("tzo", NS)).setText(tzo(clock.getZone().getRules().getOffset(now)));
            time.addElement(QName.get("utc", NS)).setText(UTC.format(now));
            return CompletableFuture.completedFuture(result);
        });
    }

    /** XEP-0082 §2 TZD as {@code ±hh:mm}; UTC is written {@code +00:00} rather than {@code Z}, as in XEP-0202's examples. */
    static String tzo(ZoneOffset offset) {
        return offset.equals(ZoneOffset.UTC) ? "+00:00" : offset.getId().substring(0, 6);
    }
}
