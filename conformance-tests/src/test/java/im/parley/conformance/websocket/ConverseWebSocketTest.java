package im.parley.conformance.websocket;

import im.parley.conformance.bosh.BrowserScript;
import im.parley.conformance.bosh.HttpParley;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser client over WebSocket (RFC 7395): Converse.js in headless Chromium logs in,
 * is seen online by a TCP client (slixmpp), shows its message and sends a reply.
 */
class ConverseWebSocketTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    @TempDir
    Path work;

    @Test
    @DisplayName("Converse.js in Chromium over WebSocket: login, online, receives from TCP, replies")
    void converseOverWebSocket() throws Exception {
        BrowserScript.passes(parley, "converse-websocket.sh", parley.websocketUrl(), work);
    }
}
