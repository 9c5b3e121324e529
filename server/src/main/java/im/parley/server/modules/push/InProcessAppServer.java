package im.parley.server.modules.push;

import im.parley.push.ApnsSettings;
import im.parley.push.AppServerSettings;
import im.parley.push.FcmSettings;
import im.parley.push.PushAppServer;
import im.parley.server.config.ParleyConfig;
import im.parley.server.config.PushAppServerConfig;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Runs the push app server inside Parley: the same XEP-0114 component any server could use,
 * connected over loopback to Parley's own component listener with the secret configured for its
 * domain in {@code components} — so Parley treats it exactly like an external one.
 */
public final class InProcessAppServer {

    private InProcessAppServer() {
    }

    /** Starts the app server and waits until Parley accepted its handshake. */
    public static PushAppServer start(ParleyConfig config, Channel componentListener) throws Exception {
        PushAppServer appServer = new PushAppServer(settings(config, (InetSocketAddress) componentListener.localAddress()));
        try {
            return appServer.start().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            appServer.close();
            throw e;
        }
    }

    static AppServerSettings settings(ParleyConfig config, InetSocketAddress listener) {
        PushAppServerConfig app = config.push().appServer();
        String secret = config.components().secrets().get(app.domain());
        if (secret == null) {
            throw new IllegalArgumentException("push.app_server.domain " + app.domain()
                    + " needs a secret in components");
        }
        String host = listener.getAddress().isAnyLocalAddress() ? "127.0.0.1" : listener.getAddress().getHostAddress();
        FcmSettings fcm = app.fcmProjectId() == null ? null : new FcmSettings(app.fcmProjectId(),
                app.fcmServiceAccount(), URI.create(app.fcmEndpoint()),
                app.fcmTokenEndpoint() == null ? null : URI.create(app.fcmTokenEndpoint()));
        ApnsSettings apns = app.apnsSigningKey() == null ? null : new ApnsSettings(app.apnsSigningKey(),
                app.apnsTeamId(), app.apnsKeyId(), app.apnsTopic(), app.apnsHost(), app.apnsPort(),
                app.apnsTrustedCertificates());
        return new AppServerSettings(app.domain(), secret, host, listener.getPort(),
                app.registrationsFile() != null ? app.registrationsFile()
                        : config.dataDir().resolve("push-registrations.json"), fcm, apns);
    }
}
