package im.parley.core.session;

import im.parley.core.stream.StreamError;
import org.dom4j.Element;

/** One XMPP stream with a peer, whatever the transport (TCP, BOSH, WebSocket). */
public interface StreamSession {

    /** Unguessable stream id (RFC 6120 §4.7.3). */
    String id();

    /** Writes a stanza to the peer; safe to call from any thread. */
    void deliver(Element stanza);

    /** Sends the stream error, closes the stream and the connection (RFC 6120 §4.9.1.1). */
    void close(StreamError error);
}
