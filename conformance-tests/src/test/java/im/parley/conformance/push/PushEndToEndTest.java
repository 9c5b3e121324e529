package im.parley.conformance.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import im.parley.conformance.KillableSockets;
import im.parley.conformance.PinnedTrust;
import im.parley.conformance.XmppClient;
import im.parley.core.jid.Jids;
import im.parley.core.tls.PemFiles;
import im.parley.core.tls.SelfSignedCertificates;
import im.parley.server.ParleyServer;
import im.parley.server.c2s.C2sSession;
import im.parley.server.config.ComponentsConfig;
import im.parley.server.config.ListenerConfig;
import im.parley.server.config.ParleyConfig;
import im.parley.server.modules.push.PushAppServerModule;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.form.Form;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Push notifications end to end (issue 8): Parley runs its push app server in-process as an
 * XEP-0114 component; a Smack client registers an Android device (FCM) and an iPhone (APNs)
 * through the app server's ad-hoc commands, enables both with XEP-0357 §5, and its TCP
 * connection dies (XEP-0198 hibernation). A message for it produces exactly one FCM request
 * (HTTP v1, OAuth2 bearer from a service account) and one APNs request at stand-in endpoints;
 * then the client resumes and gets the message.
 */
class PushEndToEndTest {

    private static final String DOMAIN = "parley.test";
    private static final String PUSH = "push.parley.test";
    private static final String PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HttpServer google;
    private MockApnsServer apple;
    private ParleyServer parley;
    private final List<JsonNode> fcmRequests = new CopyOnWriteArrayList<>();
    private final List<String> fcmAuthorizations = new CopyOnWriteArrayList<>();
    private final List<ApnsPushNotification> apnsRequests = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        google = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        google.createContext("/token", exchange -> respond(exchange,
                "{\"access_token\":\"ya29.stand-in\",\"expires_in\":3600,\"token_type\":\"Bearer\"}"));
        google.createContext("/v1/projects/parley-test/messages:send", exchange -> {
            fcmAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            fcmRequests.add(JSON.readTree(exchange.getRequestBody()));
            respond(exchange, "{\"name\":\"projects/parley-test/messages/1\"}");
        });
        google.start();
        String googleBase = "http://127.0.0.1:" + google.getAddress().getPort();

        var tls = SelfSignedCertificates.generate("localhost");
        Path cert = dir.resolve("apns-cert.pem");
        Path key = dir.resolve("apns-key.pem");
        PemFiles.write(tls, cert, key);
        apple = new MockApnsServerBuilder().setServerCredentials(cert.toFile(), key.toFile(), null)
                .setHandlerFactory(new AcceptAllPushNotificationHandlerFactory())
                .setListener(new ParsingMockApnsServerListenerAdapter() {
                    @Override
                    public void handlePushNotificationAccepted(ApnsPushNotification notification) {
                        apnsRequests.add(notification);
                    }

                    @Override
                    public void handlePushNotificationRejected(ApnsPushNotification notification, RejectionReason reason,
                                                               Instant expiry) {
                        throw new AssertionError("APNs stand-in rejected " + notification + ": " + reason);
                    }
                }).build();
        int applePort = startOnAFreePort(apple);

        ParleyConfig config = ParleyConfig.defaults().withDomains(List.of(DOMAIN)).withDataDir(dir.resolve("data"))
                .withC2s(ListenerConfig.on("127.0.0.1", 0)).withDirectTls(ListenerConfig.off("127.0.0.1", 0))
                .withHttp(ListenerConfig.off("127.0.0.1", 0))
                .withComponents(ComponentsConfig.defaults().withListener(ListenerConfig.on("127.0.0.1", 0))
                        .withSecrets(Map.of(PUSH, "component secret")))
                .with(PushAppServerModule.ENABLED, true)
                .with(PushAppServerModule.DOMAIN, PUSH)
                .with(PushAppServerModule.FCM_PROJECT_ID, "parley-test")
                .with(PushAppServerModule.FCM_SERVICE_ACCOUNT, serviceAccount(googleBase + "/token"))
                .with(PushAppServerModule.FCM_ENDPOINT, googleBase)
                .with(PushAppServerModule.APNS_SIGNING_KEY, signingKey())
                .with(PushAppServerModule.APNS_TEAM_ID, "TEAM123456")
                .with(PushAppServerModule.APNS_KEY_ID, "KEY1234567")
                .with(PushAppServerModule.APNS_TOPIC, "im.parley.app")
                .with(PushAppServerModule.APNS_HOST, "localhost")
                .with(PushAppServerModule.APNS_PORT, applePort)
                .with(PushAppServerModule.APNS_TRUSTED_CERTIFICATES, cert);
        parley = new ParleyServer(config);
        parley.start();
        parley.accounts().create(Jids.parseEntityBare("juliet@" + DOMAIN), PASSWORD);
        parley.accounts().create(Jids.parseEntityBare("romeo@" + DOMAIN), PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (parley != null) {
            parley.close();
        }
        if (apple != null) {
            apple.shutdown().get();
        }
        if (google != null) {
            google.stop(0);
        }
    }

    @Test
    void aMessageForAHibernatedSessionWakesEachDeviceOnceAndArrivesOnResumption() throws Exception {
        Phone juliet = new Phone("juliet");
        EntityFullJid julietJid = juliet.connection.getUser();
        // XEP-0357 §5 after registering with the app server (ad-hoc commands, as the Conversations app server does).
        Map<String, String> android = juliet.register("register-push-fcm",
                Map.of("token", "fcm-token-1", "device-id", "android-1", "message-type", "data"));
        Map<String, String> iphone = juliet.register("register-push-apns",
                Map.of("token", "0a1b2c3d4e5f", "device-id", "iphone-1", "message-type", "data"));
        PushNotificationsManager push = PushNotificationsManager.getInstanceFor(juliet.connection);
        assertThat(push.enable(JidCreate.from(PUSH), android.get("node"),
                new HashMap<>(Map.of("secret", android.get("secret"))))).isTrue();
        assertThat(push.enable(JidCreate.from(PUSH), iphone.get("node"),
                new HashMap<>(Map.of("secret", iphone.get("secret"))))).isTrue();

        juliet.killSocket();
        await().atMost(XmppClient.WAIT).until(() -> hibernated(julietJid));

        Phone romeo = new Phone("romeo");
        romeo.connection.sendStanza(romeo.connection.getStanzaFactory().buildMessageStanza()
                .to(julietJid.asEntityBareJid()).ofType(Message.Type.chat).setBody("Wherefore art thou?").build());

        await().atMost(XmppClient.WAIT).until(() -> fcmRequests.size() == 1 && apnsRequests.size() == 1);

        // FCM HTTP v1: a data message for the Android device, high priority, bearer token from the service account.
        assertThat(fcmAuthorizations).containsExactly("Bearer ya29.stand-in");
        JsonNode message = fcmRequests.get(0).get("message");
        assertThat(message.get("token").asText()).isEqualTo("fcm-token-1");
        assertThat(message.has("notification")).isFalse();
        assertThat(message.get("data").get("message-count").asText()).isEqualTo("1");
        assertThat(message.get("data").get("last-message-sender").asText()).startsWith("romeo@" + DOMAIN);
        assertThat(message.get("data").has("last-message-body")).as("no body by default").isFalse();
        assertThat(message.get("android").get("priority").asText()).isEqualTo("high");

        // APNs: no body to show, so a background push with priority 5.
        ApnsPushNotification apns = apnsRequests.get(0);
        assertThat(apns.getToken()).isEqualTo("0a1b2c3d4e5f");
        assertThat(apns.getTopic()).isEqualTo("im.parley.app");
        assertThat(apns.getPriority()).isEqualTo(DeliveryPriority.CONSERVE_POWER);
        assertThat(apns.getPushType()).isEqualTo(PushType.BACKGROUND);
        assertThat(JSON.readTree(apns.getPayload()).get("aps").get("content-available").asInt()).isEqualTo(1);

        // The client comes back: it resumes and gets the message; nothing was pushed twice.
        juliet.connection.connect().login();
        assertThat(juliet.connection.streamWasResumed()).isTrue();
        await().atMost(XmppClient.WAIT).until(() -> juliet.bodies.contains("Wherefore art thou?"));
        assertThat(fcmRequests).hasSize(1);
        assertThat(apnsRequests).hasSize(1);
    }

    /** True once the server saw the connection go and keeps the session without one (XEP-0198 §5). */
    private boolean hibernated(EntityFullJid jid) {
        return parley.sessions().find(jid).map(s -> s instanceof C2sSession c && !c.isConnected() && !c.isEnded())
                .orElse(false);
    }

    private Path serviceAccount(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> account = Map.of("type", "service_account", "project_id", "parley-test",
                "private_key_id", "key-1", "private_key", pem,
                "client_email", "push@parley-test.iam.gserviceaccount.com", "client_id", "1", "token_uri", tokenUri);
        Path file = dir.resolve("service-account.json");
        JSON.writeValue(file.toFile(), account);
        return file;
    }

    private Path signingKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("AuthKey_KEY1234567.p8");
        Files.writeString(file, pem);
        return file;
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Starts the APNs stand-in on a port that was free a moment ago; another process may take it
     * in between (tests run beside other builds), so a taken port is retried with another.
     */
    private static int startOnAFreePort(MockApnsServer server) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                server.start(port).get();
                return port;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof java.net.BindException) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A Smack client with stream management and resumption, whose TCP connection the test can kill. */
    private final class Phone {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final KillableSockets sockets = new KillableSockets();
        final XMPPTCPConnection connection;

        Phone(String user) throws Exception {
            XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(DOMAIN)
                    .setHostAddress(InetAddress.getByName("127.0.0.1"))
                    .setPort(parley.c2sPort())
                    .setUsernameAndPassword(user, PASSWORD)
                    .setResource("phone")
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(PinnedTrust.trustManager(parley.certificate(DOMAIN)))
                    .setSocketFactory(sockets)
                    .setCompressionEnabled(false)
                    .build();
            connection = new XMPPTCPConnection(config);
            connection.setReplyTimeout(XmppClient.WAIT.toMillis());
            connection.setUseStreamManagement(true);
            connection.setUseStreamManagementResumption(true);
            connection.setPreferredResumptionTime(300);
            connection.addSyncStanzaListener(stanza -> bodies.add(((Message) stanza).getBody()),
                    stanza -> stanza instanceof Message m && m.getBody() != null);
            clients.add(connection::disconnect);
            connection.connect().login();
        }

        /** Runs an app server registration command (XEP-0050) and returns the result form's fields. */
        Map<String, String> register(String command, Map<String, String> answers) throws Exception {
            RemoteCommand remote = AdHocCommandManager.getAddHocCommandsManager(connection)
                    .getRemoteCommand(JidCreate.from(PUSH), command);
            remote.execute();
            FillableForm form = new Form(remote.getForm()).getFillableForm();
            answers.forEach(form::setAnswer);
            remote.complete(form);
            Map<String, String> result = new HashMap<>();
            remote.getForm().getFields().forEach(field -> result.put(field.getFieldName(), field.getFirstValue()));
            return result;
        }

        void killSocket() throws IOException {
            sockets.killLast();
        }
    }
}
