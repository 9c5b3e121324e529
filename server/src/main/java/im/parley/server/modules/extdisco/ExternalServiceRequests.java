package im.parley.server.modules.extdisco;

import static im.parley.server.module.IqReplies.done;
import static im.parley.server.module.IqReplies.error;
import static im.parley.server.module.IqReplies.payload;
import static im.parley.server.module.IqReplies.result;

import im.parley.core.routing.Stanza;
import im.parley.core.stream.StanzaErrorCondition;
import im.parley.server.module.IqHandler;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Answers XEP-0215 requests to the server: all services (§3.1), those of one type (§3.2), and
 * credentials for one service (§3.3). Only the host's own accounts get an answer; anyone else
 * gets {@code forbidden} (§2: "if the requesting entity does not have permission to receive the
 * list of external services"). Restricted services carry fresh credentials in every answer, so a
 * client need not ask twice (as Prosody's and ejabberd's modules do).
 */
final class ExternalServiceRequests implements IqHandler {

    private static final Namespace EXTDISCO = Namespace.get(ExternalServiceModule.NAMESPACE);

    private final DomainBareJid domain;
    private final List<ExternalService> services;
    private final TurnCredentials credentials;

    ExternalServiceRequests(DomainBareJid domain, List<ExternalService> services, TurnCredentials credentials) {
        this.domain = domain;
        this.services = services;
        this.credentials = credentials;
    }

    @Override
    public CompletionStage<Element> handle(Stanza iq) {
        return done(answer(iq));
    }

    private Element answer(Stanza iq) {
        Element request = payload(iq);
        EntityBareJid account = iq.from() == null ? null : iq.from().asEntityBareJidIfPossible();
        if (!"get".equals(iq.type())) {
            // Pushes (§3.2) go from the server to clients, never the other way.
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "services and credentials are requested with get");
        }
        if (account == null || !account.asDomainBareJid().equals(domain)) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, "only accounts of " + domain + " may use its services");
        }
        return switch (request.getName()) {
            case "services" -> services(iq, account, request.attributeValue("type"));
            case "credentials" -> credentials(iq, account, request.element("service"));
            default -> error(iq, StanzaErrorCondition.BAD_REQUEST, "expected <services/> or <credentials/>");
        };
    }

    private Element services(Stanza iq, EntityBareJid account, String type) {
        Element answer = DocumentHelper.createElement(QName.get("services", EXTDISCO));
        if (type != null) {
            answer.addAttribute("type", type);
        }
        services.stream().filter(service -> type == null || service.type().equals(type))
                .forEach(service -> add(answer, service, account));
        return result(iq, answer);
    }

    /** §3.3: the service "MUST include the 'host' and 'type' attributes"; 'port' picks one of several. */
    private Element credentials(Stanza iq, EntityBareJid account, Element wanted) {
        if (wanted == null || wanted.attributeValue("host") == null || wanted.attributeValue("type") == null) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "name the service with host and type");
        }
        List<ExternalService> matching = services.stream().filter(service -> service.matches(
                wanted.attributeValue("host"), wanted.attributeValue("type"), wanted.attributeValue("port"))).toList();
        if (matching.isEmpty()) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, "no such service");
        }
        Element answer = DocumentHelper.createElement(QName.get("credentials", EXTDISCO));
        matching.forEach(service -> add(answer, service, account));
        return result(iq, answer);
    }

    private void add(Element parent, ExternalService service, EntityBareJid account) {
        Element element = parent.addElement(QName.get("service", EXTDISCO))
                .addAttribute("host", service.host())
                .addAttribute("port", Integer.toString(service.port()))
                .addAttribute("type", service.type());
        if (service.transport() != null) {
            element.addAttribute("transport", service.transport());
        }
        if (service.name() != null) {
            element.addAttribute("name", service.name());
        }
        if (service.restricted()) {
            TurnCredentials.Credentials issued = credentials.issue(account);
            element.addAttribute("restricted", "1")
                    .addAttribute("username", issued.username())
                    .addAttribute("password", issued.password())
                    // §2: XEP-0082 dateTime, "MUST be expressed in UTC".
                    .addAttribute("expires", DateTimeFormatter.ISO_INSTANT.format(issued.expires()));
        }
    }
}
