package im.parley.sdk.example;

import im.parley.sdk.ChatClient;
import im.parley.sdk.ChatException;
import im.parley.sdk.Transport;
import im.parley.sdk.Trust;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A console chat on the SDK: logs in, prints incoming messages and contact requests, and sends
 * what you type. Lines are {@code bob@example.org: hello}; {@code /add bob@example.org},
 * {@code /accept bob@example.org}, {@code /contacts} and {@code /quit} do the obvious.
 *
 * <p>Arguments: {@code JID PASSWORD HOST PORT [CERT.pem]}; with a PEM file the server's
 * (self-signed) certificate is pinned, otherwise the JVM's authorities decide.
 */
public final class ConsoleChat {

    private ConsoleChat() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ConsoleChat JID PASSWORD HOST PORT [CERT.pem]");
            System.exit(2);
        }
        Trust trust = args.length > 4 ? Trust.pinnedPem(Path.of(args[4])) : Trust.systemDefaults();
        try (ChatClient client = ChatClient.builder(args[0], args[1])
                .transport(Transport.startTls(args[2], Integer.parseInt(args[3])))
                .trust(trust)
                .build()) {
            client.onMessage(message -> System.out.println(message.from() + ": " + message.body()));
            client.contacts().onSubscriptionRequest(from ->
                    System.out.println("* " + from + " wants to add you: /accept " + from));
            client.onConnectionEvent(event -> System.out.println("* " + event));
            client.login();
            System.out.println("* logged in as " + client.sessionJid() + "; type 'jid: text', /add, /accept, /contacts, /quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("/quit")) {
                try {
                    handle(client, line.trim());
                } catch (ChatException | IllegalArgumentException e) {
                    System.out.println("! " + e.getMessage());
                }
            }
        } catch (ChatException e) {
            System.err.println("! " + e.getMessage());
            System.exit(1);
        }
    }

    private static void handle(ChatClient client, String line) throws ChatException {
        if (line.isEmpty()) {
            return;
        }
        if (line.equals("/contacts")) {
            for (var contact : client.contacts().list()) {
                System.out.println("  " + contact.jid() + " (" + contact.subscription() + ", "
                        + client.contacts().presenceOf(contact.jid()).availability() + ")");
            }
        } else if (line.startsWith("/add ")) {
            client.contacts().add(jid(line.substring(5)), null);
        } else if (line.startsWith("/accept ")) {
            client.contacts().accept(jid(line.substring(8)));
        } else {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("write 'bob@example.org: text'");
            }
            client.send(jid(line.substring(0, colon)), line.substring(colon + 2));
        }
    }

    private static EntityBareJid jid(String text) {
        return JidCreate.entityBareFromOrThrowUnchecked(text.trim());
    }
}
