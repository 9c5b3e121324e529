package im.parley.server;

import im.parley.server.config.ParleyConfig;
import im.parley.server.module.RunningServer;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What modules learn once the listeners are bound ({@link RunningServer}): the addresses the
 * listeners got, the component secrets and the data directory of the configuration.
 *
 * @param componentChannel the external component listener (XEP-0114), null if none runs
 */
record BoundServer(ParleyConfig config, Listeners listeners, Channel componentChannel) implements RunningServer {

    @Override
    public Optional<InetSocketAddress> componentListener() {
        return componentChannel == null ? Optional.empty()
                : Optional.of((InetSocketAddress) componentChannel.localAddress());
    }

    @Override
    public Optional<String> componentSecret(String domain) {
        return Optional.ofNullable(config.components().secrets().get(domain));
    }

    @Override
    public Path dataDir() {
        return config.dataDir();
    }

    @Override
    public Optional<InetSocketAddress> httpListener() {
        return Optional.ofNullable(listeners.address(Listeners.Kind.HTTP));
    }

    @Override
    public Optional<InetSocketAddress> httpsListener() {
        return Optional.ofNullable(listeners.address(Listeners.Kind.HTTPS));
    }
}
