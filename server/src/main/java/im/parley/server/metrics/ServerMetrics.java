package im.parley.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;

/**
 * The meters of one server: a registry per assembly, never a global one, so that several servers
 * in one JVM (tests) keep their figures apart. Holds the counters the hot paths move, made once
 * here so that counting a stanza is an increment, not a lookup ({@link StanzaCounters},
 * {@link AuthCounters}), and the JVM and process figures of Micrometer's binders. Modules add
 * their own meters to {@link #registry()} ({@code ModuleContext.metrics()}).
 */
public final class ServerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final StanzaCounters stanzas;
    private final AuthCounters auth;
    /** What listens to the JVM (garbage collection notifications); null when nothing reads the meters. */
    private final AutoCloseable jvm;
    private final boolean exported;

    /** A registry with the stanza counters, the login counters of {@code mechanisms} and the JVM figures. */
    public ServerMetrics(Collection<String> mechanisms) {
        this(mechanisms, true);
    }

    /**
     * Meters that count, when {@code exported} ({@code metrics.enabled}), into a Prometheus
     * registry with the JVM figures beside them; otherwise into nothing. Nothing reads them then,
     * so neither Prometheus' registry nor the JVM binders (and the management beans they read) are
     * loaded: fewer classes and less memory at start for the server that does not export metrics
     * (issue 19). Hot paths keep the same code: an increment of a meter without a registry is a no-op.
     */
    public ServerMetrics(Collection<String> mechanisms, boolean exported) {
        this.exported = exported;
        registry = exported ? PrometheusExport.registry() : new CompositeMeterRegistry();
        stanzas = new StanzaCounters(registry);
        auth = new AuthCounters(registry, mechanisms);
        jvm = exported ? PrometheusExport.bindJvm(registry) : null;
    }

    /** Where modules and the core register meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Stanzas in and out of client streams, by kind. */
    public StanzaCounters stanzas() {
        return stanzas;
    }

    /** Logins and authentication failures, by SASL mechanism. */
    public AuthCounters auth() {
        return auth;
    }

    /**
     * Every meter in the Prometheus text format (version 0.0.4), or in OpenMetrics 1.0 when
     * {@code accept} (the scraper's {@code Accept} header, may be null) asks for it.
     * Runs the gauges' functions: call it off the event loop.
     */
    public Scrape scrape(String accept) {
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        if (!exported) {
            throw new IllegalStateException("these meters are not exported (metrics.enabled is false)");
        }
        return new Scrape(contentType, PrometheusExport.scrape(registry, contentType));
    }

    /** A scrape's body and the content type it is written in. */
    public record Scrape(String contentType, String body) {
    }

    /** Stops the collectors that listen to the JVM (garbage collection notifications). */
    @Override
    public void close() {
        if (jvm != null) {
            try {
                jvm.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        registry.close();
    }

    /**
     * Prometheus and the JVM binders, in a class of their own: the JVM verifies {@link ServerMetrics}
     * without loading them, so only a server that exports metrics loads them.
     */
    private static final class PrometheusExport {

        static MeterRegistry registry() {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }

        /** Binds the JVM and process figures; returns what stops listening to the JVM. */
        static AutoCloseable bindJvm(MeterRegistry registry) {
            JvmGcMetrics gc = new JvmGcMetrics();
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            return gc;
        }

        static String scrape(MeterRegistry registry, String contentType) {
            return ((PrometheusMeterRegistry) registry).scrape(contentType);
        }
    }
}
