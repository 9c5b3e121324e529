package im.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole server configuration, as read from the YAML file (see docs/configuration.md).
 * {@link #defaults()} works with no file at all: domain {@code localhost}, data in
 * {@code ./data}, every listener on loopback: client streams (5222, direct TLS 5223) and HTTP
 * (5280: BOSH, WebSocket, upload, health), as ejabberd's default configuration has them.
 *
 * @param modules which discovered modules run, and their options
 * @param shutdownTimeout the longest a stop (SIGTERM, Ctrl-C) may take; then the process halts
 */
public record ParleyConfig(List<String> domains, Path dataDir, ListenerConfig c2s, ListenerConfig directTls,
                           ListenerConfig s2s, ListenerConfig http, TlsConfig tls, LimitsConfig limits,
                           StorageConfig storage, FederationConfig federation, ComponentsConfig components,
                           HttpConfig web, ModulesConfig modules, Duration shutdownTimeout) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public static ParleyConfig defaults() {
        return new ParleyConfig(List.of("localhost"), Path.of("data"),
                ListenerConfig.on("127.0.0.1", 5222), ListenerConfig.on("127.0.0.1", 5223),
                ListenerConfig.off("127.0.0.1", 5269), ListenerConfig.on("127.0.0.1", 5280),
                TlsConfig.defaults(), LimitsConfig.defaults(), StorageConfig.defaults(), FederationConfig.defaults(),
                ComponentsConfig.defaults(), HttpConfig.defaults(), ModulesConfig.defaults(), DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public ParleyConfig withDomains(List<String> newDomains) {
        return new ParleyConfig(List.copyOf(newDomains), dataDir, c2s, directTls, s2s, http, tls, limits, storage,
                federation, components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withDataDir(Path newDataDir) {
        return new ParleyConfig(domains, newDataDir, c2s, directTls, s2s, http, tls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withC2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, listener, directTls, s2s, http, tls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withDirectTls(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, listener, s2s, http, tls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withS2s(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, listener, http, tls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withFederation(FederationConfig newFederation) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, newFederation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withTls(TlsConfig newTls) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, newTls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withLimits(LimitsConfig newLimits) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, newLimits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withStorage(StorageConfig newStorage) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, newStorage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withComponents(ComponentsConfig newComponents) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, federation,
                newComponents, web, modules, shutdownTimeout);
    }

    public ParleyConfig withHttp(ListenerConfig listener) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, listener, tls, limits, storage, federation,
                components, web, modules, shutdownTimeout);
    }

    public ParleyConfig withShutdownTimeout(Duration timeout) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, federation,
                components, web, modules, timeout);
    }

    /** The BOSH and WebSocket settings, and the {@code https} listener. */
    public ParleyConfig withWeb(HttpConfig newWeb) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, federation,
                components, newWeb, modules, shutdownTimeout);
    }

    /** Which modules run, and their options. */
    public ParleyConfig withModules(ModulesConfig newModules) {
        return new ParleyConfig(domains, dataDir, c2s, directTls, s2s, http, tls, limits, storage, federation,
                components, web, newModules, shutdownTimeout);
    }

    /** The value of a module's option: as set in the file, else its default. */
    public <T> T option(ModuleOption<T> option) {
        return modules.options().get(option);
    }

    /** This configuration with a module's option set. */
    public <T> ParleyConfig with(ModuleOption<T> option, T value) {
        return withModules(modules.withOptions(modules.options().with(option, value)));
    }
}
