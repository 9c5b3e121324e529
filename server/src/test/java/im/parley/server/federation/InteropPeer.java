package im.parley.server.federation;

/**
 * A real XMPP server from Debian's packages that Parley federates with (RFC 6120 §13.7 and
 * XEP-0220 between them), and the Parley it meets: each pair has its own loopback addresses and
 * domains so the peers' tests never share state. The scripts are those of
 * {@code s2s-federation/src/test/peers}, run through {@link PeerScripts}.
 *
 * @param domain the peer's hosted domain
 * @param address the loopback address the peer listens on (c2s 5222, s2s 5269)
 * @param parleyDomain the domain of the Parley that federates with this peer
 * @param parleyAddress the loopback address of that Parley (s2s 5269)
 * @param startScript starts the peer: {@code startScript domain address}
 * @param stopScript stops it: {@code stopScript domain}
 * @param addUserScript adds an account: {@code addUserScript domain user password}
 */
record InteropPeer(String domain, String address, String parleyDomain, String parleyAddress,
        String startScript, String stopScript, String addUserScript) {

    /** Prosody 0.12 (Debian package {@code prosody}). */
    static final InteropPeer PROSODY = new InteropPeer("prosody.interop.test", "127.0.0.41",
            "parley-p.interop.test", "127.0.0.43", "start-prosody.sh", "stop-prosody.sh", "prosody-adduser.sh");

    /** ejabberd 23.01 (Debian package {@code ejabberd}). */
    static final InteropPeer EJABBERD = new InteropPeer("ejabberd.interop.test", "127.0.0.42",
            "parley-e.interop.test", "127.0.0.44", "start-ejabberd.sh", "stop-ejabberd.sh", "ejabberd-adduser.sh");

    /** The peer's s2s address, for Parley's static route (the peer has no SRV records). */
    String s2sRoute() {
        return address + ":5269";
    }
}
