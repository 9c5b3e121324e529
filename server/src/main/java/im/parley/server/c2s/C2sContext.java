package im.parley.server.c2s;

import im.parley.core.sasl.AuthFailureThrottle;
import im.parley.core.sasl.CredentialRepository;
import im.parley.core.sasl.SaslMechanisms;
import im.parley.server.config.LimitsConfig;
import im.parley.server.host.HostRegistry;
import im.parley.server.metrics.ServerMetrics;
import im.parley.server.routing.DefaultStanzaRouter;
import im.parley.server.session.RouteTable;
import im.parley.server.tls.ServerTls;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jxmpp.jid.DomainBareJid;

/**
 * Everything client-to-server streams share, built once by the assembly and handed to each
 * connection (constructor injection, no singletons).
 *
 * @param domains hosted domains
 * @param starttlsRequired whether TLS is mandatory-to-negotiate (RFC 6120 §5.3.1)
 * @param tls per-domain TLS contexts
 * @param mechanisms SASL mechanisms
 * @param credentials where SASL finds stored credentials (blocking)
 * @param throttle failed-authentication limiter per client address
 * @param blocking executor for blocking work (storage, PBKDF2), never an event loop
 * @param sessions bound sessions
 * @param router the stanza router
 * @param limits size and time limits
 * @param hosts the hosts, whose buses get the session lifecycle events of stream management
 * @param features the stream features offered, the core's and the modules'
 * @param metrics the server's meters (stanza and login counters)
 * @param intake the bound on clients' stanzas in flight, shared by all client streams
 */
public record C2sContext(Set<DomainBareJid> domains, boolean starttlsRequired, ServerTls tls,
                         SaslMechanisms mechanisms, CredentialRepository credentials, AuthFailureThrottle throttle,
                         Executor blocking, RouteTable sessions, DefaultStanzaRouter router, LimitsConfig limits,
                         HostRegistry hosts, C2sFeatures features, ServerMetrics metrics,
                         IntakeLimit intake) {
}
