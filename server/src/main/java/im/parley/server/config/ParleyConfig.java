package im.parley.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole server configuration, as read from the YAML file (see docs/configuration.md).
 * {@link #defaults()} works with no file at all: domain {@code localhost}, data in
 * {@code ./data}, every listener on loopback.
 */
public record ParleyConfig(List<String> domains, Path dataDir, ListenerConfig c2s, ListenerConfig directTls,
                           ListenerConfig s2s, ListenerConfig http, TlsConfig tls, LimitsConfig limits,
                           StorageConfig storage, FeaturesConfig features,
                           FederationConfig federation, MobileConfig mobile,
                           ComponentsConfig components, PushConfig push) {

    public static ParleyConfig defaults() {
        return new ParleyConfig(List.of("localhost"), Path.of("data"),
                ListenerConfig.on("127.0.0.1", 5222), ListenerConfig.on("127.0.0.1", 5223),
                ListenerConfig.off("127.0.0.1", 5269), ListenerConfig.off("127.0.0.1", 5280),
                TlsConfig.defaults(), LimitsConfig.defaults(), StorageConfig.defaults(),
                FeaturesConfig.defaults(), FederationConfig.defaults(), MobileConfig.defaults(),
                ComponentsConfig.defaults(), PushConfig.defaults());
    }

    public ParleyConfig withDomains(List<String> newDomains) {
        return new ParleyConfig(List.copyOf(newDomains), dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withDataDir(Path newDataDir) {
        return new ParleyConfig(domains, newDataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withC2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, listener, directTls, s2s, http, tls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withDirectTls(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, listener, s2s, http, tls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withS2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, listener, http, tls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withFederation(FederationConfig newFederation) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, newFederation, mobile, components, push);
    }

    public ParleyConfig withTls(TlsConfig newTls) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, newTls, limits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withLimits(LimitsConfig newLimits) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, newLimits, storage, features, federation, mobile, components, push);
    }

    public ParleyConfig withFeatures(FeaturesConfig newFeatures) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, newFeatures, federation, mobile, components, push);
    }

    public ParleyConfig withMobile(MobileConfig newMobile) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                newMobile, components, push);
    }

    public ParleyConfig withStorage(StorageConfig newStorage) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, newStorage, features, federation, mobile, components, push);
    }

    public ParleyConfig withComponents(ComponentsConfig newComponents) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, newComponents, push);
    }

    public ParleyConfig withPush(PushConfig newPush) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, features, federation,
                mobile, components, newPush);
    }
}
