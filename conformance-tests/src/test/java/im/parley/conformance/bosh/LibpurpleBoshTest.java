package im.parley.conformance.bosh;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second independent BOSH client: Pidgin's libpurple (through finch, driven over D-Bus) logs
 * in over BOSH (XEP-0206), is seen online by a slixmpp peer on TCP, receives its message and
 * replies. The script is the real-clients one of {@code src/test/clients}, in its BOSH mode.
 */
class LibpurpleBoshTest {

    @RegisterExtension
    static final HttpParley parley = new HttpParley();

    @TempDir
    Path work;

    @Test
    @DisplayName("libpurple (finch) over BOSH: login, online, receives from TCP, replies")
    void libpurpleOverBosh() throws Exception {
        BrowserScript.passes(parley, Path.of("src/test/clients/libpurple-finch.sh"), parley.boshUrl(), work,
                Map.of("XMPP_PURPLE_BOSH", "1", "XMPP_RESOURCE", "purple-bosh"));
    }
}
