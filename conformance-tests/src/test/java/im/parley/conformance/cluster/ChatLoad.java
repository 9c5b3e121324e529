package im.parley.conformance.cluster;

import static org.awaitility.Awaitility.await;

import im.parley.conformance.cluster.LoopbackCluster.Node;
import im.parley.conformance.raw.RawXmppClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;

/**
 * Raw clients chatting across the nodes of a {@link LoopbackCluster}, each on a thread of its
 * own, with stream management (XEP-0198 {@code urn:xmpp:sm:3}): senders that know exactly which
 * of their messages the server acknowledged, recipients that record what they got. A client
 * whose node goes (killed or stopped) connects to the next node that is up, as a client behind
 * one DNS name would.
 */
final class ChatLoad implements AutoCloseable {

    static final String SM = "urn:xmpp:sm:3";
    /** Messages sent between two requests for an acknowledgement. */
    private static final int BATCH = 5;
    /** A chat load, not a flood: the offline quota and two shared cores set the pace. */
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final LoopbackCluster cluster;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    ChatLoad(LoopbackCluster cluster) {
        this.cluster = cluster;
    }

    /** A recipient, connected to node {@code preferred} if it is up. */
    Recipient recipient(String username, int preferred) {
        return start(new Recipient(username, preferred));
    }

    /** A sender writing to {@code to}, connected to node {@code preferred} if it is up. */
    Sender sender(String username, int preferred, String to) {
        return start(new Sender(username, preferred, to));
    }

    @Override
    public void close() {
        clients.forEach(client -> client.stopping = true);
        for (Client client : clients) {
            try {
                client.thread.join(LoopbackCluster.WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <C extends Client> C start(C client) {
        clients.add(client);
        client.thread.start();
        return client;
    }

    /** A user on a thread: connects, runs a session until its connection fails, connects again. */
    abstract class Client implements Runnable {

        final String username;
        private final int preferred;
        final Thread thread;
        private final AtomicInteger sessions = new AtomicInteger();
        volatile boolean stopping;

        Client(String username, int preferred) {
            this.username = username;
            this.preferred = preferred;
            this.thread = new Thread(this, "chat-load-" + username);
            this.thread.setDaemon(true);
        }

        /** How many sessions the client had: more than one if its node went. */
        int sessions() {
            return sessions.get();
        }

        @Override
        public void run() {
            while (!stopping) {
                RawXmppClient client = connect();
                if (client == null) {
                    continue;
                }
                try {
                    session(client);
                } catch (RuntimeException | AssertionError e) {
                    // The node went (a closed stream, a reset connection): to the next one.
                } finally {
                    client.close();
                }
            }
        }

        /** Runs one session on {@code client} (logged in, stream management enabled) until stopped or failed. */
        abstract void session(RawXmppClient client);

        /** Logs in with stream management on the first node that is up, from the preferred one on; null if none is. */
        private RawXmppClient connect() {
            List<Node> nodes = cluster.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get((preferred + i) % nodes.size());
                if (!node.isUp()) {
                    continue;
                }
                RawXmppClient client = null;
                try {
                    client = RawXmppClient.connect(node.address, node.c2sPort, node.certificate(cluster.domain()))
                            .toDomain(cluster.domain());
                    client.login(username, LoopbackCluster.PASSWORD, "load");
                    client.send("<enable xmlns='" + SM + "'/>");
                    client.nextElement(e -> "enabled".equals(e.getName()) && SM.equals(e.getNamespaceURI()));
                    sessions.incrementAndGet();
                    return client;
                } catch (Exception | AssertionError e) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
            pause(PAUSE);
            return null;
        }

        @Override
        public String toString() {
            return username;
        }
    }

    /**
     * Sends numbered messages to one contact's bare JID, {@value #BATCH} at a time, and asks for
     * an acknowledgement after each batch until the server handled all of it (XEP-0198 §4): a
     * message counts as acknowledged once an {@code h} covers it in the session it was sent in.
     */
    final class Sender extends Client {

        private final String to;
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        /** How many messages were sent so far (written by the sender's thread only). */
        private volatile int next;

        Sender(String username, int preferred, String to) {
            super(username, preferred);
            this.to = to;
        }

        /** Lets the sender finish its batch (acknowledged) and stop. */
        void stop() throws InterruptedException {
            stopping = true;
            thread.join(LoopbackCluster.WAIT.toMillis());
        }

        /** How many messages were sent so far, acknowledged or not. */
        int sent() {
            return next;
        }

        /** The bodies of the messages the server acknowledged, in the order sent. */
        List<String> acknowledged() {
            return List.copyOf(acknowledged);
        }

        /** Error replies the sender got (a message the server could neither deliver nor store). */
        List<String> errors() {
            return List.copyOf(errors);
        }

        @Override
        void session(RawXmppClient client) {
            List<String> sent = new ArrayList<>();
            int acknowledgedHere = 0;
            Inbound inbound = new Inbound(client);
            while (!stopping) {
                for (int i = 0; i < BATCH; i++) {
                    String body = username + "-" + (next + 1);
                    next++;
                    client.send("<message to='" + to + "@" + cluster.domain() + "' type='chat' id='" + body
                            + "'><body>" + body + "</body></message>");
                    sent.add(body);
                }
                int handled = (int) inbound.awaitHandled(sent.size(), errors);
                acknowledged.addAll(sent.subList(acknowledgedHere, handled));
                acknowledgedHere = handled;
                pause(PAUSE);
            }
        }
    }

    /** Records every message body it gets (a second copy counts as a duplicate) and answers acknowledgement requests. */
    final class Recipient extends Client {

        private final Set<String> received = ConcurrentHashMap.newKeySet();
        private final AtomicInteger duplicates = new AtomicInteger();

        Recipient(String username, int preferred) {
            super(username, preferred);
        }

        Set<String> received() {
            return Set.copyOf(received);
        }

        int duplicates() {
            return duplicates.get();
        }

        /** Waits until it received {@code count} different messages. */
        void awaitReceived(int count) {
            await(username + " receives " + count + " messages").atMost(LoopbackCluster.WAIT)
                    .until(() -> received.size() >= count);
        }

        /** Waits until it received all of {@code bodies}; the failure names those missing. */
        void awaitAll(List<String> bodies) {
            await().atMost(LoopbackCluster.WAIT).alias(username + " receives every acknowledged message")
                    .until(() -> bodies.stream().filter(body -> !received.contains(body)).toList(), List::isEmpty);
        }

        @Override
        void session(RawXmppClient client) {
            Inbound inbound = new Inbound(client);
            // RFC 6121 §4.2: available, so that messages to the bare JID (and the offline ones) come.
            client.send("<presence/>");
            while (!stopping) {
                inbound.next(PAUSE).filter(e -> "message".equals(e.getName()) && e.elementText("body") != null)
                        .ifPresent(message -> {
                            if (!received.add(message.elementText("body"))) {
                                duplicates.incrementAndGet();
                            }
                        });
            }
        }
    }

    /**
     * The client's side of XEP-0198 §4 on one session: counts the stanzas received, answers the
     * server's {@code <r/>}, asks for the server's {@code h}.
     */
    private static final class Inbound {

        private final RawXmppClient client;
        private long received;

        Inbound(RawXmppClient client) {
            this.client = client;
        }

        /** The next element other than an acknowledgement request (which is answered), if any comes within {@code timeout}. */
        Optional<Element> next(Duration timeout) {
            Optional<Element> element = client.elementWithin(timeout);
            if (element.isEmpty()) {
                return element;
            }
            Element e = element.get();
            if (SM.equals(e.getNamespaceURI()) && "r".equals(e.getName())) {
                client.send("<a xmlns='" + SM + "' h='" + received + "'/>");
                return Optional.empty();
            }
            if (List.of("message", "presence", "iq").contains(e.getName())) {
                received++;
            }
            return element;
        }

        /** Asks for {@code h} until the server handled {@code count} stanzas; records error replies on the way. */
        long awaitHandled(long count, List<String> errors) {
            while (true) {
                client.send("<r xmlns='" + SM + "'/>");
                long h = -1;
                while (h < 0) {
                    Element e = next(RawXmppClient.WAIT).orElse(null);
                    if (e == null) {
                        continue;
                    }
                    if (SM.equals(e.getNamespaceURI()) && "a".equals(e.getName())) {
                        h = Long.parseLong(e.attributeValue("h"));
                    } else if ("error".equals(e.attributeValue("type"))) {
                        errors.add(e.asXML());
                    }
                }
                if (h >= count) {
                    return h;
                }
                pause(Duration.ofMillis(20));
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
