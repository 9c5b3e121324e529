package im.parley.server.modules.mam;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message in an archive: its XEP-0359 id, when it was archived, the stanza as XML. The stanza
 * is held as it was made: as text (read from a database) or as UTF-8 bytes (written by the
 * server's XML writer on the event loop, journaled as they are); the other form is made once,
 * on first use, so that a message on its way to the journal is never turned into a string.
 */
final class ArchivedMessage {

    private final String id;
    private final Instant stamp;
    private String stanzaXml;
    private byte[] stanzaUtf8;

    ArchivedMessage(String id, Instant stamp, String stanzaXml) {
        this.id = Objects.requireNonNull(id, "id");
        this.stamp = Objects.requireNonNull(stamp, "stamp");
        this.stanzaXml = Objects.requireNonNull(stanzaXml, "stanzaXml");
    }

    private ArchivedMessage(String id, Instant stamp, byte[] stanzaUtf8) {
        this.id = Objects.requireNonNull(id, "id");
        this.stamp = Objects.requireNonNull(stamp, "stamp");
        this.stanzaUtf8 = Objects.requireNonNull(stanzaUtf8, "stanzaUtf8");
    }

    /** A message whose stanza is {@code stanzaUtf8}, well-formed XML in UTF-8; the array is not copied. */
    static ArchivedMessage ofUtf8(String id, Instant stamp, byte[] stanzaUtf8) {
        return new ArchivedMessage(id, stamp, stanzaUtf8);
    }

    String id() {
        return id;
    }

    Instant stamp() {
        return stamp;
    }

    /** The stanza as XML text. */
    synchronized String stanzaXml() {
        if (stanzaXml == null) {
            stanzaXml = new String(stanzaUtf8, StandardCharsets.UTF_8);
        }
        return stanzaXml;
    }

    /** The stanza as UTF-8 bytes; not to be modified. */
    synchronized byte[] stanzaUtf8() {
        if (stanzaUtf8 == null) {
            stanzaUtf8 = stanzaXml.getBytes(StandardCharsets.UTF_8);
        }
        return stanzaUtf8;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArchivedMessage that && id.equals(that.id) && stamp.equals(that.stamp)
                && (stanzaUtf8 != null && that.stanzaUtf8 != null
                        ? Arrays.equals(stanzaUtf8, that.stanzaUtf8) : stanzaXml().equals(that.stanzaXml()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, stamp, stanzaXml());
    }

    @Override
    public String toString() {
        return "ArchivedMessage[id=" + id + ", stamp=" + stamp + ", stanzaXml=" + stanzaXml() + "]";
    }
}
