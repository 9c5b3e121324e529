package im.parley.bench.jmh;

import java.nio.charset.StandardCharsets;

/** Typical client stanzas (RFC 6120 §8, RFC 6121) used by the codec benchmarks. */
final class StanzaSamples {
    static final String HEADER = "<?xml version='1.0'?><stream:stream to='example.org' version='1.0'"
            + " xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    static final String MESSAGE = "<message type='chat' to='juliet@example.org' id='m-1234567890'>"
            + "<body>Art thou not Romeo, and a Montague? " + "x".repeat(24) + "</body>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>";
    static final String PRESENCE = "<presence><show>away</show><status>in a meeting</status>"
            + "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.org'"
            + " ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>";
    static final String IQ = "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>";

    private StanzaSamples() {
    }

    /** A stream body of {@code count} stanzas cycling message, presence and iq. */
    static byte[] body(int count) {
        StringBuilder text = new StringBuilder();
        String[] kinds = {MESSAGE, PRESENCE, IQ};
        for (int i = 0; i < count; i++) {
            text.append(kinds[i % kinds.length]);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
