package im.parley.server.federation;

/**
 * Parley federating with ejabberd 23.01 (Debian package {@code ejabberd}), started by
 * {@code s2s-federation/src/test/peers/start-ejabberd.sh} on 127.0.0.42; Parley on 127.0.0.44:5269.
 * A missing ejabberd fails the class.
 */
class EjabberdInteropTest extends StartedPeerScenarios {

    EjabberdInteropTest() {
        super(InteropPeer.EJABBERD);
    }
}
