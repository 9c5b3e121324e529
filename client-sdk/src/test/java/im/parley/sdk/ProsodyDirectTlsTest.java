package im.parley.sdk;

import im.parley.sdk.target.ProsodyServer;
import im.parley.sdk.target.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SDK against a real Prosody over DIRECT_TLS: the SDK works with any standard server. */
class ProsodyDirectTlsTest extends ChatClientContract {
    private static ProsodyServer prosody;

    @BeforeAll
    static void startProsody() throws Exception {
        prosody = ProsodyServer.start();
    }

    @AfterAll
    static void stopProsody() {
        if (prosody != null) {
            prosody.close();
        }
    }

    @Override
    Target target() {
        return prosody.target(Target.Kind.DIRECT_TLS);
    }
}
