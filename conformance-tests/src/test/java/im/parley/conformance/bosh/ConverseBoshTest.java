package im.parley.conformance.bosh;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser client over BOSH (XEP-0206): Converse.js in headless Chromium, served from
 * another origin (so CORS is on the path), logs in, is seen online by a TCP client (slixmpp),
 * shows its message and sends a reply typed into the chat box.
 */
class ConverseBoshTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley(web -> web.withCorsOrigins(List.of("*")));

    @TempDir
    Path work;

    @Test
    @DisplayName("Converse.js in Chromium over BOSH: login, online, receives from TCP, replies")
    void converseOverBosh() throws Exception {
        BrowserScript.passes(parley, "converse-bosh.sh", parley.boshUrl(), work);
    }
}
