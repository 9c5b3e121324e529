package im.parley.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real third-party client, slixmpp, logged in to a peer server (Prosody, ejabberd) and driven
 * by {@code peer_client.py}: JSON commands in, one JSON event per received stanza out.
 */
final class SlixmppClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 30;

    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> skipped = new ArrayList<>();
    /** Events kept for the test's next waits: what arrived before the login was over, or before an answer waited for. */
    private final Deque<JsonNode> beforeReady = new ArrayDeque<>();
    private final StringBuilder errors = new StringBuilder();
    private final String jid;

    SlixmppClient(PeerScripts scripts, String jid, String password, String host, int port) throws IOException {
        process = new ProcessBuilder(PeerScripts.PYTHON, scripts.file("peer_client.py").toString(), jid, password,
                host, Integer.toString(port)).start();
        commands = process.getOutputStream();
        Thread reader = new Thread(this::readEvents, "slixmpp-" + jid);
        reader.setDaemon(true);
        reader.start();
        Thread stderr = new Thread(this::readErrors, "slixmpp-err-" + jid);
        stderr.setDaemon(true);
        stderr.start();
        JsonNode first = awaitReady();
        assertThat(first.path("event").asText()).as("login of %s: %s", jid, errors).isEqualTo("ready");
        this.jid = first.path("jid").asText();
    }

    /**
     * The login's outcome. The server may send stanzas before it: the contacts' presence comes
     * with the echo of initial presence that peer_client.py waits for (RFC 6121 §4.2.2, §4.3.2),
     * so those events are kept for the test's {@link #next} instead of being skipped.
     */
    private JsonNode awaitReady() {
        List<JsonNode> early = new ArrayList<>();
        JsonNode outcome = next(e -> {
            boolean done = e.path("event").asText().matches("ready|failed");
            if (!done) {
                early.add(e);
            }
            return done;
        });
        skipped.removeAll(early);
        beforeReady.addAll(early);
        return outcome;
    }

    /** The full JID the peer server bound. */
    String jid() {
        return jid;
    }

    private void readEvents() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException notJson) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        events.add(JSON.createObjectNode().put("event", "exited"));
    }

    private void readErrors() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (errors) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    void sendPresence(String to, String type) {
        ObjectNode command = JSON.createObjectNode().put("cmd", "presence");
        if (to != null) {
            command.put("to", to);
        }
        if (type != null) {
            command.put("type", type);
        }
        send(command);
    }

    void sendPresence(String show, String status, String to) {
        ObjectNode command = JSON.createObjectNode().put("cmd", "presence").put("show", show).put("status", status);
        if (to != null) {
            command.put("to", to);
        }
        send(command);
    }

    void sendMessage(String to, String id, String body) {
        sendMessage(to, id, body, "chat");
    }

    void sendMessage(String to, String id, String body, String type) {
        send(JSON.createObjectNode().put("cmd", "message").put("to", to).put("id", id).put("body", body)
                .put("type", type));
    }

    /** Enters {@code room/nick} (XEP-0045 §7.2.1), asking for no history (§7.2.15). */
    void enterRoom(String occupantJid) {
        send(JSON.createObjectNode().put("cmd", "presence").put("to", occupantJid).put("muc", true));
    }

    /** Accepts the default configuration of a room just created (XEP-0045 §10.1.2): "result" or the error condition. */
    String instantRoom(String room) {
        send(JSON.createObjectNode().put("cmd", "muc_instant").put("room", room));
        return next(e -> "instant".equals(e.path("event").asText()) && room.equals(e.path("room").asText()))
                .path("type").asText();
    }

    /** Stops reporting messages; {@link #awaitExpected()} returns once {@code count} more arrived. */
    void expect(int count) {
        send(JSON.createObjectNode().put("cmd", "expect").put("count", count));
    }

    void awaitExpected() {
        next(e -> "received".equals(e.path("event").asText()));
    }

    /** Sends {@code count} chat messages to {@code to} as fast as slixmpp can. */
    void burst(String to, int count) {
        send(JSON.createObjectNode().put("cmd", "burst").put("to", to).put("count", count));
    }

    /** The roster as the peer server returns it: jid to {subscription, ask}. */
    JsonNode roster() {
        send(JSON.createObjectNode().put("cmd", "roster"));
        return next(e -> "roster".equals(e.path("event").asText())).path("items");
    }

    /** Asks for notifications of {@code node}: {@code node+notify} in new caps, sent with presence (XEP-0163 §4.2). */
    void pepInterest(String node) {
        send(JSON.createObjectNode().put("cmd", "pep_interest").put("node", node));
        next(e -> "interest".equals(e.path("event").asText()));
    }

    /** XEP-0060 §6.5: the items of {@code owner}'s node: an {@code items} or {@code items_error} event. */
    JsonNode items(String owner, String node) {
        send(JSON.createObjectNode().put("cmd", "items").put("to", owner).put("node", node));
        return next(e -> List.of("items", "items_error").contains(e.path("event").asText())
                && node.equals(e.path("node").asText()));
    }

    /** XEP-0060 §6.1: subscribes the bare JID to {@code owner}'s node: a {@code subscribed} or {@code subscribe_error} event. */
    JsonNode subscribe(String owner, String node) {
        send(JSON.createObjectNode().put("cmd", "subscribe").put("to", owner).put("node", node));
        // The node's last item follows the answer (XEP-0060 §6.1.7), but slixmpp reports the answer
        // only when the awaiting coroutine runs again, which can be after it reported the item:
        // what comes first is kept for the test's next waits, not skipped.
        List<JsonNode> early = new ArrayList<>();
        JsonNode answer = next(e -> {
            boolean done = List.of("subscribed", "subscribe_error").contains(e.path("event").asText())
                    && node.equals(e.path("node").asText());
            if (!done) {
                early.add(e);
            }
            return done;
        });
        skipped.removeAll(early);
        early.forEach(beforeReady::addLast);
        return answer;
    }

    /**
     * XEP-0060 §7.1: publishes {@code xml} as item {@code id} of the account's own {@code node},
     * with {@code options} as publish-options (§7.1.5): a {@code published} or {@code publish_error} event.
     */
    JsonNode publish(String node, String id, String xml, Map<String, String> options) {
        ObjectNode command = JSON.createObjectNode().put("cmd", "publish").put("node", node).put("id", id).put("xml", xml);
        ObjectNode fields = command.putObject("options");
        options.forEach(fields::put);
        send(command);
        return next(e -> List.of("published", "publish_error").contains(e.path("event").asText())
                && node.equals(e.path("node").asText()));
    }

    /** A PubSub event notification item from {@code from} on {@code node}. */
    static Predicate<JsonNode> pepEvent(String from, String node) {
        return e -> "pep".equals(e.path("event").asText()) && from.equals(e.path("from").asText())
                && node.equals(e.path("node").asText());
    }

    private void send(ObjectNode command) {
        try {
            commands.write((command.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            throw new AssertionError("slixmpp client is gone: " + errors, e);
        }
    }

    /** The next event matching {@code condition}; others are kept for the failure message. */
    JsonNode next(Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            JsonNode event = beforeReady.poll();
            try {
                if (event == null) {
                    event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (event == null || "exited".equals(event.path("event").asText())) {
                throw new AssertionError((event == null ? "no matching event within " + WAIT_SECONDS + " s"
                        : "slixmpp exited") + "; skipped " + skipped + "; stderr " + errors);
            }
            if (condition.test(event)) {
                return event;
            }
            skipped.add(event);
        }
    }

    static Predicate<JsonNode> presenceEvent(String from, String type) {
        return e -> "presence".equals(e.path("event").asText()) && from.equals(e.path("from").asText())
                && type.equals(e.path("type").asText());
    }

    /** A presence from {@code occupantJid} with the XEP-0045 status {@code code} (110: the occupant itself). */
    static Predicate<JsonNode> mucPresence(String occupantJid, int code) {
        return e -> "presence".equals(e.path("event").asText()) && occupantJid.equals(e.path("from").asText())
                && hasCode(e, code);
    }

    private static boolean hasCode(JsonNode event, int code) {
        for (JsonNode value : event.path("codes")) {
            if (value.asInt() == code) {
                return true;
            }
        }
        return false;
    }

    /** A message from {@code from} of {@code type} with {@code body}. */
    static Predicate<JsonNode> messageEvent(String from, String type, String body) {
        return e -> "message".equals(e.path("event").asText()) && from.equals(e.path("from").asText())
                && type.equals(e.path("type").asText()) && body.equals(e.path("body").asText());
    }

    static Predicate<JsonNode> messageEvent(String id) {
        return e -> "message".equals(e.path("event").asText()) && id.equals(e.path("id").asText());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                send(JSON.createObjectNode().put("cmd", "quit"));
            } catch (AssertionError gone) {
                // already exiting
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
