package im.parley.server.federation;

/**
 * Parley federating with Prosody 0.12 (Debian package {@code prosody}), started by
 * {@code s2s-federation/src/test/peers/start-prosody.sh} on 127.0.0.41; Parley on 127.0.0.43:5269.
 * A missing Prosody fails the class.
 */
class ProsodyInteropTest extends StartedPeerScenarios {

    ProsodyInteropTest() {
        super(InteropPeer.PROSODY);
    }
}
