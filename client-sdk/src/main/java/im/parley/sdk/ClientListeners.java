package im.parley.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jivesoftware.smack.packet.Message;
import org.jxmpp.jid.EntityBareJid;

/** The application's message and connection listeners of one {@link ChatClient}, called in registration order. */
final class ClientListeners {

    private final List<Consumer<ChatMessage>> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionEvent>> connectionListeners = new CopyOnWriteArrayList<>();

    Cancellable onMessage(Consumer<ChatMessage> listener) {
        messageListeners.add(listener);
        return () -> messageListeners.remove(listener);
    }

    Cancellable onConnectionEvent(Consumer<ConnectionEvent> listener) {
        connectionListeners.add(listener);
        return () -> connectionListeners.remove(listener);
    }

    /** Hands a received chat message to the message listeners; one without a sender address is dropped. */
    void deliver(Message message) {
        EntityBareJid from = message.getFrom() == null ? null : message.getFrom().asEntityBareJidIfPossible();
        if (from == null) {
            return;
        }
        ChatMessage received = new ChatMessage(from, message.getFrom(), message.getBody(), message.getStanzaId());
        for (Consumer<ChatMessage> listener : messageListeners) {
            listener.accept(received);
        }
    }

    void fire(ConnectionEvent event) {
        for (Consumer<ConnectionEvent> listener : connectionListeners) {
            listener.accept(event);
        }
    }
}
