package im.parley.sdk;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jxmpp.jid.EntityBareJid;

/** The conversation with one contact; get one from {@link ChatClient#chat(EntityBareJid)}. */
public final class Chat {
    private final ChatClient client;
    private final EntityBareJid peer;

    Chat(ChatClient client, EntityBareJid peer) {
        this.client = client;
        this.peer = peer;
    }

    /** The contact at the other end. */
    public EntityBareJid peer() {
        return peer;
    }

    /** Sends a message to the contact; see {@link ChatClient#send(EntityBareJid, String)}. */
    public String send(String body) throws ChatException {
        return client.send(peer, body);
    }

    /** {@link #send(String)} in the background. */
    public CompletableFuture<String> sendAsync(String body) {
        return client.sendAsync(peer, body);
    }

    /** Calls {@code listener} for each message from this contact (any of its devices). */
    public Cancellable onMessage(Consumer<ChatMessage> listener) {
        return client.onMessage(message -> {
            if (message.from().equals(peer)) {
                listener.accept(message);
            }
        });
    }
}
