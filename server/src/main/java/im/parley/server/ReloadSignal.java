package im.parley.server;

import im.parley.server.tls.ReloadReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP makes the server read its certificate files again, as Prosody and nginx do on SIGHUP;
 * the systemd unit's {@code ExecReload} sends it, so {@code systemctl reload parley} works. The
 * JVM would otherwise take SIGHUP (a closed terminal) for a request to stop.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to catch a
 * signal; where it is refused (another platform, {@code -Xrs}) SIGHUP keeps the JVM's meaning and
 * {@code parley reload} still works. A process that was started with SIGHUP ignored ({@code nohup},
 * some supervisors) keeps ignoring it: the JVM does not take over an ignored signal, so the server
 * says so at start.
 */
public final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** From now on SIGHUP reloads {@code server}'s certificates; the JVM runs the handler on a thread of its own. */
    public static void install(ParleyServer server) {
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reading the certificates again");
                ReloadReport report = server.reloadCertificates();
                if (report.failures() > 0) {
                    LOG.warn("SIGHUP: {} certificate file(s) refused; their hosts keep the certificate in use",
                            report.failures());
                }
            });
            if (before == SignalHandler.SIG_IGN) {
                LOG.warn("SIGHUP is ignored by this process (started under nohup?): use parley reload to read "
                        + "the certificates again");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.info("SIGHUP cannot be caught here ({}): use parley reload to read the certificates again",
                    e.getMessage());
        }
    }
}
