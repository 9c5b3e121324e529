package im.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole server configuration, as read from the YAML file (see docs/configuration.md).
 * {@link #defaults()} works with no file at all: domain {@code localhost}, data in
 * {@code ./data}, every listener on loopback.
 *
 * @param shutdownTimeout the longest a stop (SIGTERM, Ctrl-C) may take; then the process halts
 */
public record ParleyConfig(List<String> domains, Path dataDir, ListenerConfig c2s, ListenerConfig directTls,
                           ListenerConfig s2s, ListenerConfig http, TlsConfig tls, LimitsConfig limits,
                           StorageConfig storage, FeaturesConfig features,
                           FederationConfig federation, MobileConfig mobile,
                           ComponentsConfig components, PushConfig push, HttpConfig web, Duration shutdownTimeout) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public static ParleyConfig defaults() {
        return new ParleyConfig(List.of("localhost"), Path.of("data"),
                ListenerConfig.on("127.0.0.1", 5222), ListenerConfig.on("127.0.0.1", 5223),
                ListenerConfig.off("127.0.0.1", 5269), ListenerConfig.off("127.0.0.1", 5280),
                TlsConfig.defaults(), LimitsConfig.defaults(), StorageConfig.defaults(),
                FeaturesConfig.defaults(), FederationConfig.defaults(), MobileConfig.defaults(),
                ComponentsConfig.defaults(), PushConfig.defaults(), HttpConfig.defaults(), DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public ParleyConfig withDomains(List<String> newDomains) {
        return new ParleyConfig(List.copyOf(newDomains), dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withDataDir(Path newDataDir) {
        return new ParleyConfig(domains, newDataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withC2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, listener, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withDirectTls(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, listener, s2s, http, tls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withS2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, listener, http, tls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withFederation(FederationConfig newFederation) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, newFederation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withTls(TlsConfig newTls) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, newTls, limits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withLimits(LimitsConfig newLimits) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, newLimits, storage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withFeatures(FeaturesConfig newFeatures) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, newFeatures, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withMobile(MobileConfig newMobile) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                newMobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withStorage(StorageConfig newStorage) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, newStorage, features, federation, mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withComponents(ComponentsConfig newComponents) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, newComponents, push, web, shutdownTimeout);
    }

    public ParleyConfig withPush(PushConfig newPush) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, components, newPush, web, shutdownTimeout);
    }

    public ParleyConfig withHttp(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, listener, tls, limits, storage, features, federation,
                mobile, components, push, web, shutdownTimeout);
    }

    public ParleyConfig withShutdownTimeout(Duration timeout) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, components, push, web, timeout);
    }

    /** The BOSH and WebSocket settings, and the {@code https} listener. */
    public ParleyConfig withWeb(HttpConfig newWeb) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, components, push, newWeb, shutdownTimeout);
    }
}
